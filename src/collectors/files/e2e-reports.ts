import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, relative } from 'node:path';
import { promisify } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { glob } from 'tinyglobby';
import { e2eReports } from '../../facts/evidence.js';
import type { FactValue } from '../../model.js';
import { defineCollector, FactError } from '../types.js';
import { lastCommitDate } from './documents.js';

type Report = FactValue<typeof e2eReports>['reports'][number];
type Node = Record<string, unknown>;

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' || name === 'testcase' });

const count = (node: Node, key: string): number | undefined => {
  const value = Number(node[key]);
  return node[key] !== undefined && Number.isFinite(value) ? value : undefined;
};

const git = promisify(execFile);

/**
 * When a result file with no date inside was written, at the latest. A checkout gives every file a fresh mtime, so a
 * committed, unchanged file is dated by its last commit (its run came before); one this job wrote keeps its mtime.
 */
export async function fileDate(path: string, signal: AbortSignal): Promise<{ date: string; dateSource: 'commit' | 'shallow-clone' | 'mtime' }> {
  const mtime = { date: (await stat(path)).mtime.toISOString(), dateSource: 'mtime' as const };
  const options = { cwd: dirname(path), signal };
  const name = basename(path);
  try {
    await git('git', ['ls-files', '--error-unmatch', '--', name], options);
  } catch (error) {
    const { code, stderr } = error as { code?: unknown; stderr?: string };
    if (code === 1 || code === 'ENOENT' || /not a git repository/.test(stderr ?? '')) return mtime;
    // E.g. "dubious ownership": a committed file would pass on the checkout's mtime.
    throw new FactError('Error', `cannot tell whether ${name} is committed to git: ${(stderr || String(error)).trim().split('\n')[0]}`);
  }
  const changed = await git('git', ['diff', '--quiet', 'HEAD', '--', name], options).then(() => false, () => true);
  const committed = changed ? null : await lastCommitDate(path, signal);
  if (!committed) return mtime;
  const date = `${committed}T00:00:00.000Z`;
  // In a shallow clone the boundary commit holds every file it did not see change: its date is the clone's.
  const shallow = (await git('git', ['rev-parse', '--is-shallow-repository'], options)).stdout.trim() === 'true';
  const parents = shallow ? (await git('git', ['log', '-1', '--format=%P', '--', name], options)).stdout.trim() : 'full history';
  return { date, dateSource: parents === '' ? 'shallow-clone' : 'commit' };
}

/** JUnit writers often omit the zone; they write local time of a CI box that runs in UTC. */
function parseTimestamp(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Totals of a JUnit document: the root's attributes, else the sum over its test suites. */
function summarize(document: Node): Omit<Report, 'file' | 'timestamp' | 'timestampSource'> & { timestamp: string | null } {
  const root = (document.testsuites ?? (document.testsuite as Node[] | undefined)?.[0]) as Node | undefined;
  if (!root || typeof root !== 'object') throw new Error('no <testsuites> or <testsuite> element');
  const suites = (document.testsuites ? ((root.testsuite as Node[] | undefined) ?? []) : [root]).filter((s) => typeof s === 'object');
  const total = (key: string) => count(root, key) ?? suites.reduce((sum, suite) => sum + (count(suite, key) ?? 0), 0);
  const stamps = [root, ...suites].map((node) => parseTimestamp(node.timestamp)).filter((t): t is string => t !== null);
  return {
    tests: total('tests'),
    failures: total('failures'),
    errors: total('errors'),
    skipped: count(root, 'skipped') ?? suites.reduce((sum, suite) => sum + (count(suite, 'skipped') ?? count(suite, 'disabled') ?? 0), 0),
    timestamp: stamps.sort().at(-1) ?? null,
  };
}

export const e2eReportsCollector = defineCollector(e2eReports, async (context) => {
  const pattern = context.config.evidence.e2e;
  if (!pattern) throw new FactError('NotConfigured', 'no `evidence.e2e` in the config', 'set `evidence.e2e` to the glob of the JUnit XML reports of the end-to-end suite');
  const files = await glob(pattern, { cwd: context.baseDir, absolute: true, onlyFiles: true });
  const reports: Report[] = [];
  const unreadable: { file: string; reason: string }[] = [];
  for (const path of files.sort()) {
    const file = relative(context.baseDir, path);
    let summary: ReturnType<typeof summarize>;
    try {
      summary = summarize(parser.parse(await readFile(path, 'utf8')) as Node);
    } catch (error) {
      unreadable.push({ file, reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) });
      continue;
    }
    const dated = summary.timestamp ? { date: summary.timestamp, dateSource: 'report' as const } : await fileDate(path, context.signal);
    reports.push({ ...summary, file, timestamp: dated.date, timestampSource: summary.timestamp ? 'attribute' : 'mtime', dateSource: dated.dateSource });
  }
  return { pattern, reports, unreadable };
});
