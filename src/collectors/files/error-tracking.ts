import { readFile, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { glob } from 'tinyglobby';
import { errorTracking } from '../../facts/evidence.js';
import type { FactValue } from '../../model.js';
import { defineCollector, FactError } from '../types.js';
import { configPath } from './paths.js';

type ErrorTracking = FactValue<typeof errorTracking>;

const SENTRY_DSN = /https:\/\/[0-9a-f]{16,64}(?::[0-9a-f]+)?@((?:o\d+\.)?ingest(?:\.[a-z]{2})?\.sentry\.io|[a-z0-9.-]*sentry[a-z0-9.-]*)(?::\d+)?\/(\d+)/i;
/** SDKs configured with a token rather than a DSN: their intake host in the bundle shows the SDK is wired in. */
const INTAKE_MARKERS: [provider: string, marker: RegExp][] = [
  ['datadog-rum', /browser-intake-(?:[a-z0-9-]+-)?datadoghq\.(?:com|eu)/],
  ['bugsnag', /(?:notify|sessions)\.bugsnag\.com/],
  ['rollbar', /api\.rollbar\.com/],
];
const MAX_FILE_BYTES = 20 * 1024 * 1024;
const MAX_FILES = 5000;

function providerOf(host: string): string {
  if (/sentry/i.test(host)) return 'sentry';
  return INTAKE_MARKERS.find(([, marker]) => marker.test(host))?.[0] ?? host;
}

/** The DSN without its key (the part before `@`): safe to show in a report. */
export function redactDsn(dsn: string): string | null {
  try {
    const url = new URL(dsn);
    return `${url.protocol}//${url.username || url.password ? '***@' : ''}${url.host}${url.pathname}`;
  } catch {
    return null;
  }
}

function fromConfig(dsn: string): ErrorTracking | null {
  const redacted = redactDsn(dsn.trim());
  if (!redacted) return null;
  return { found: true, source: 'config', provider: providerOf(new URL(dsn.trim()).host), redactedDsn: redacted, file: null, scannedDir: null, filesScanned: 0 };
}

export const errorTrackingCollector = defineCollector(errorTracking, async (context): Promise<ErrorTracking> => {
  const configured = context.config.evidence.errorTrackingDsn;
  const fromDsn = configured ? fromConfig(configured) : null;
  if (fromDsn) return fromDsn;
  const buildDir = context.config.domain?.frontendBuildDir;
  const none: ErrorTracking = { found: false, source: null, provider: null, redactedDsn: null, file: null, scannedDir: buildDir ?? null, filesScanned: 0 };
  if (!buildDir) return none;
  const root = configPath(context.baseDir, buildDir);
  // Source maps are left out: they carry the sources, where a DSN in a comment or a test would mislead.
  const files = (await glob('**/*.{js,mjs,cjs,html}', { cwd: root, absolute: true, onlyFiles: true })).sort().slice(0, MAX_FILES);
  let scanned = 0;
  for (const path of files) {
    // Out of time is not "no tracker": the files left were not seen.
    if (context.signal.aborted) throw new FactError('Timeout', `the scan of ${buildDir} did not finish in time`, 'raise --timeout');
    if ((await stat(path)).size > MAX_FILE_BYTES) continue;
    const text = await readFile(path, 'utf8');
    scanned++;
    const file = relative(root, path);
    const sentry = SENTRY_DSN.exec(text);
    if (sentry) return { ...none, found: true, source: 'bundle', provider: 'sentry', redactedDsn: redactDsn(sentry[0]), file, filesScanned: scanned };
    const marker = INTAKE_MARKERS.find(([, pattern]) => pattern.test(text));
    if (marker) return { ...none, found: true, source: 'bundle', provider: marker[0], file, filesScanned: scanned };
  }
  return { ...none, filesScanned: scanned };
});
