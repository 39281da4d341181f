import { readFile, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { glob } from 'tinyglobby';
import { errorTracking } from '../../facts/evidence.js';
import type { FactValue } from '../../model.js';
import { defineCollector, FactError } from '../types.js';
import { configPath } from './paths.js';

type ErrorTracking = FactValue<typeof errorTracking>;

const SENTRY_DSN = /https:\/\/[0-9a-f]{16,64}(?::[0-9a-f]+)?@((?:o\d+\.)?ingest(?:\.[a-z]{2})?\.sentry\.io|[a-z0-9.-]*sentry[a-z0-9.-]*)(?::\d+)?\/(\d+)/gi;
/** SDKs configured with a token rather than a DSN: their intake host in the bundle shows the SDK is wired in. */
const INTAKE_MARKERS: [provider: string, marker: RegExp][] = [
  ['datadog-rum', /browser-intake-(?:[a-z0-9-]+-)?datadoghq\.(?:com|eu)/],
  ['bugsnag', /(?:notify|sessions)\.bugsnag\.com/],
  ['rollbar', /api\.rollbar\.com/],
];
const SENTRY_INGEST_HOST = /^(?:o(\d+)\.)?ingest(?:\.[a-z]{2})?\.sentry\.io$/;
/** Hosts no browser sends a production error to (RFC 2606/6761 names, loopback). */
const PLACEHOLDER_HOST = /(?:^|\.)(?:localhost|example|test|invalid|local)$|(?:^|\.)example\.(?:com|net|org)$|^127\.|^0\.0\.0\.0$|^\[::1?\]$/;
/** Build output that is not shipped code: tests, fixtures and dependencies' sources, where a DSN is an example. */
const NOT_SHIPPED = ['**/node_modules/**', '**/{__tests__,__mocks__,__fixtures__,test,tests,spec,specs,fixture,fixtures,mocks}/**', '**/*.{test,spec}.{js,mjs,cjs}'];
const SCRIPT_OR_COMMENT = /<!--[\s\S]*?-->|<script\b[^>]*>([\s\S]*?)<\/script\s*>/gi;
const MAX_FILE_BYTES = 20 * 1024 * 1024;
const MAX_FILES = 5000;

/** The DSN without its key (the part before `@`): safe to show in a report. */
export function redactDsn(dsn: string): string | null {
  try {
    const url = new URL(dsn);
    return `${url.protocol}//${url.username || url.password ? '***@' : ''}${url.host}${url.pathname}`;
  } catch {
    return null;
  }
}

/**
 * Why `dsn` is not a real Sentry-protocol DSN (Sentry, self-hosted, GlitchTip: https://<32-hex public key>@<host>/<project id>),
 * or null when it is one. The other trackers have no DSN. Never names the key.
 */
export function sentryDsnProblem(dsn: string): string | null {
  if (!dsn) return 'it is empty';
  if (/[<>{}]|^(?:["']{2}|undefined|null|none|changeme|todo|x+)$/i.test(dsn)) return 'it is a placeholder';
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    return 'it is not a URL (a DSN reads https://<public key>@<host>/<project id>)';
  }
  if (url.protocol !== 'https:') return 'it is not an https:// URL (a DSN reads https://<public key>@<host>/<project id>)';
  const host = url.hostname.toLowerCase();
  const intake = INTAKE_MARKERS.find(([, marker]) => marker.test(host));
  if (intake) return `${host} is the intake of ${intake[0]}, which has no DSN: set \`domain.frontendBuildDir\` so the built bundle is searched for its SDK`;
  if (!url.username) return 'it has no public key before `@`';
  if (!/^[0-9a-f]{32}$/i.test(url.username) || (url.password && !/^[0-9a-f]{32}$/i.test(url.password))) return 'its key is not 32 hexadecimal characters';
  if (/^(.)\1*$/.test(url.username)) return 'its public key is a placeholder (one character repeated)';
  if (!host.includes('.') || PLACEHOLDER_HOST.test(host)) return `its host ${host} is not a public host name`;
  const project = /^(?:\/[^/]+)*\/(\d+)\/?$/.exec(url.pathname);
  if (!project) return 'its path does not end in a numeric project id';
  if (/^0+$/.test(project[1]!)) return 'its project id 0 is a placeholder';
  if (host === 'sentry.io' || host.endsWith('.sentry.io')) {
    const org = SENTRY_INGEST_HOST.exec(host);
    if (!org && host !== 'sentry.io') return `its host ${host} is not a Sentry ingest host (o<org id>.ingest[.<region>].sentry.io)`;
    if (org?.[1] !== undefined && /^0+$/.test(org[1])) return 'its organisation id o0 is a placeholder';
    if (url.pathname.replace(/\/$/, '') !== `/${project[1]}`) return 'its path on sentry.io is more than /<project id>';
  }
  return null;
}

/**
 * The texts of the string and template literals of a script, comments left out: code hands a DSN to the SDK only in a
 * string, and one in a comment configures nothing. A file the tokenizer cannot read to its end keeps the strings before
 * the error: at worst a tracker is missed (a fail), never invented.
 */
async function stringLiterals(js: string): Promise<string[]> {
  const { tokenizer, tokTypes } = await import('acorn');
  const out: string[] = [];
  try {
    for (const token of tokenizer(js, { ecmaVersion: 'latest', allowHashBang: true })) {
      // The cooked value (escapes resolved), which acorn's types leave out.
      if (token.type === tokTypes.string || token.type === tokTypes.template) out.push(String((token as { value?: unknown }).value));
    }
  } catch {
    // Not JavaScript from here on.
  }
  return out;
}

/** The string literals of a shipped file: for HTML, those of its inline scripts (not its text, not its comments). */
async function shippedStrings(file: string, text: string): Promise<string[]> {
  if (!file.endsWith('.html')) return stringLiterals(text);
  const scripts = [...text.matchAll(SCRIPT_OR_COMMENT)].flatMap((match) => (match[1] ? [match[1]] : []));
  return (await Promise.all(scripts.map(stringLiterals))).flat();
}

function fromConfig(dsn: string): ErrorTracking {
  const problem = sentryDsnProblem(dsn);
  const base = { file: null, scannedDir: null, filesScanned: 0, dsnProblem: problem };
  if (problem) return { ...base, found: false, source: 'config', provider: null, redactedDsn: null };
  return { ...base, found: true, source: 'config', provider: 'sentry', redactedDsn: redactDsn(dsn) };
}

export const errorTrackingCollector = defineCollector(errorTracking, async (context): Promise<ErrorTracking> => {
  const configured = context.config.evidence.errorTrackingDsn;
  // Set, even blank, is a claim to judge; unset (or a `${VAR}` left unset) leaves the bundle to show it.
  if (configured !== undefined) return fromConfig(configured.trim());
  const buildDir = context.config.domain?.frontendBuildDir;
  const none: ErrorTracking = { found: false, source: null, provider: null, redactedDsn: null, file: null, scannedDir: buildDir ?? null, filesScanned: 0, dsnProblem: null };
  if (!buildDir) return none;
  const root = configPath(context.baseDir, buildDir);
  // Source maps are left out: they carry the sources, where a DSN in a comment or a test would mislead.
  const files = (await glob('**/*.{js,mjs,cjs,html}', { cwd: root, absolute: true, onlyFiles: true, ignore: NOT_SHIPPED })).sort().slice(0, MAX_FILES);
  let scanned = 0;
  for (const path of files) {
    // Out of time is not "no tracker": the files left were not seen.
    if (context.signal.aborted) throw new FactError('Timeout', `the scan of ${buildDir} did not finish in time`, 'raise --timeout');
    if ((await stat(path)).size > MAX_FILE_BYTES) continue;
    const text = await readFile(path, 'utf8');
    scanned++;
    if (text.search(SENTRY_DSN) < 0 && !INTAKE_MARKERS.some(([, marker]) => marker.test(text))) continue;
    const file = relative(root, path);
    const strings = await shippedStrings(file, text);
    const sentry = strings.flatMap((string) => [...string.matchAll(SENTRY_DSN)]).find((match) => !sentryDsnProblem(match[0]));
    if (sentry) return { ...none, found: true, source: 'bundle', provider: 'sentry', redactedDsn: redactDsn(sentry[0]), file, filesScanned: scanned };
    const marker = INTAKE_MARKERS.find(([, pattern]) => strings.some((string) => pattern.test(string)));
    if (marker) return { ...none, found: true, source: 'bundle', provider: marker[0], file, filesScanned: scanned };
  }
  return { ...none, filesScanned: scanned };
});
