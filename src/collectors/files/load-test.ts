import { readFile } from 'node:fs/promises';
import { loadTestSummary } from '../../facts/evidence.js';
import { defineCollector, FactError } from '../types.js';
import { fileDate } from './e2e-reports.js';
import { configPath } from './paths.js';

type Metric = Record<string, unknown> & { values?: Record<string, unknown> };

/** A metric's value in either k6 format: `--summary-export` (flat) or handleSummary JSON (under `values`). */
function read(metric: Metric | undefined, ...keys: string[]): number | null {
  if (!metric) return null;
  for (const key of keys) {
    const value = metric[key] ?? metric.values?.[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return null;
}

export const loadTestCollector = defineCollector(loadTestSummary, async (context) => {
  const loadTest = context.config.evidence.loadTest;
  if (!loadTest) throw new FactError('NotConfigured', 'no `evidence.loadTest` in the config', 'run k6 with `--summary-export` and set `evidence.loadTest.summary` to that file');
  const path = configPath(context.baseDir, loadTest.summary);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { file: loadTest.summary, found: false, modified: null, dateSource: null, p95Ms: null, errorRate: null, maxVus: null, maxActiveVus: null, requests: null };
  }
  let metrics: Record<string, Metric>;
  try {
    metrics = (JSON.parse(text) as { metrics?: Record<string, Metric> }).metrics ?? {};
  } catch (error) {
    throw new FactError('MalformedResponse', `${loadTest.summary} is not JSON: ${(error as Error).message}`, 'point `evidence.loadTest.summary` at the file k6 wrote with --summary-export');
  }
  const { date, dateSource } = await fileDate(path, context.signal);
  return {
    file: loadTest.summary,
    found: true,
    modified: date,
    dateSource,
    p95Ms: read(metrics.http_req_duration, 'p(95)'),
    // A k6 Rate: `value` (summary-export) or `rate` (handleSummary) is the share of failed requests.
    errorRate: read(metrics.http_req_failed, 'value', 'rate'),
    maxVus: read(metrics.vus_max, 'max', 'value'),
    // An arrival-rate executor allocates `vus_max` VUs up front; `vus` counts those running an iteration.
    maxActiveVus: read(metrics.vus, 'max'),
    requests: read(metrics.http_reqs, 'count'),
  };
});
