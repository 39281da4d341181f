import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/version.js';
import { isOneLineError, spawnCli } from '../support/cli.js';

// examples/plugin end to end, under real Node: the package plugin installed in node_modules and loaded by name,
// the local TypeScript check, a live run against a local HTTP server, then the same run from its snapshot.
const EXAMPLE = join(PACKAGE_ROOT, 'examples', 'plugin');
const NOW = '2026-12-01T00:00:00Z';
const FORMATS = ['terminal', 'md', 'html', 'json', 'sarif', 'junit', 'github'];
let dir: string;
let server: Server;

interface JsonReport {
  checks: { id: string; scored: boolean; section: string }[];
  results: { checkId: string; resource: string; status: string; code: string; waiver?: { reason: string }; evidence: Record<string, unknown> }[];
  sections: { id: string; counts: Record<string, number> }[];
  source: { kind: string };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-plugin-example-'));
  await cp(EXAMPLE, dir, { recursive: true });
  await cp(join(EXAMPLE, 'readiness-plugin-example'), join(dir, 'node_modules', 'readiness-plugin-example'), { recursive: true });
  // The health endpoint answers at once; the reports endpoint takes longer than acme.health-latency's budget.
  server = createServer((request, response) => {
    const delay = request.url === '/reports/health' ? 1_500 : 0;
    setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), delay);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const config = join(dir, 'readiness.config.yaml');
  await writeFile(config, (await readFile(config, 'utf8')).replaceAll('127.0.0.1:8080', `127.0.0.1:${port}`));
  // The runbook names its owner but no escalation contact: the package plugin's check fails on it.
  const runbook = join(dir, 'docs', 'ops', 'runbook.md');
  await writeFile(runbook, (await readFile(runbook, 'utf8')).replace(/^escalation:.*\n/m, ''));
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

const readiness = (args: string[]) => spawnCli(args, { cwd: dir });

function pluginResults(report: JsonReport) {
  return report.results.filter((r) => r.checkId.startsWith('example.') || r.checkId.startsWith('acme.')).map((r) => [r.checkId, r.resource, r.status, r.code]);
}

const EXPECTED = [
  ['example.runbook-owner', 'docs/ops/runbook.md', 'fail', 'no-escalation'],
  ['acme.health-latency', 'api-health', 'pass', 'within-budget'],
  ['acme.health-latency', 'reports', 'waived', 'over-budget'],
];

async function reportsIn(out: string): Promise<Record<string, string>> {
  const files = { terminal: 'txt', md: 'md', html: 'html', json: 'json', sarif: 'sarif', junit: 'junit.xml', github: 'github.txt' } as const;
  return Object.fromEntries(await Promise.all(Object.entries(files).map(async ([format, extension]) => [format, await readFile(join(out, `readiness-report.${extension}`), 'utf8')])));
}

function expectInEveryFormat(reports: Record<string, string>): void {
  for (const format of FORMATS) {
    // The failing plugin check is in every format; the local check (passed and waived), by id or title, in every format that lists those.
    expect(reports[format], format).toContain('example.runbook-owner');
    if (format !== 'github' && format !== 'terminal') expect(reports[format], format).toMatch(/acme\.health-latency|Health endpoints answer within the latency budget/);
  }
  expect(reports.html).toContain('The runbook has no owner or no escalation contact');
  expect(reports.md).toMatch(/A health endpoint answers slower than the latency budget\*\* — `reports`: .* The reports endpoint renders PDFs/);
  const sarif = JSON.parse(reports.sarif!) as { runs: { tool: { driver: { rules: { id: string }[] } } }[] };
  expect(sarif.runs[0]!.tool.driver.rules.map((r) => r.id)).toContain('example.runbook-owner');
  expect(reports.junit).toContain('<testcase classname="acme.health-latency" name="api-health" time="0"></testcase>');
  expect(reports.junit).toMatch(/<testcase classname="acme\.health-latency" name="reports" time="0"><skipped message="[^"]*PDFs/);
}

describe('examples/plugin, live then from its snapshot', () => {
  let live: JsonReport;

  it('lists and explains the plugin checks with their source', async () => {
    const listed = await readiness(['list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^example\.runbook-owner\s+medium/m);
    expect(listed.stdout).toMatch(/^acme\.health-latency\s+medium/m);
    const explained = await readiness(['explain', 'example.runbook-owner']);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toMatch(/Source: {6}plugin readiness-plugin-example/);
    expect(explained.stdout).toMatch(/Facts: {7}example\.runbook/);
    const local = await readiness(['explain', 'acme.health-latency']);
    expect(local.stdout).toMatch(/Source: {6}plugin \.\/readiness\/checks\/acme\.health-latency\.ts/);
    expect(local.stdout).toMatch(/Facts: {7}probes\.health/);
  });

  it('collects the plugin facts once, into the snapshot', async () => {
    const collected = await readiness(['collect', '--out', 'snapshot.json', '--now', NOW]);
    expect(collected.code).toBe(0);
    const snapshot = JSON.parse(await readFile(join(dir, 'snapshot.json'), 'utf8')) as { facts: Record<string, { ok: boolean; value?: unknown }> };
    expect(snapshot.facts['example.runbook']).toEqual({ ok: true, value: { path: 'docs/ops/runbook.md', exists: true, owner: 'Platform team', escalation: null } });
    expect(snapshot.facts['probes.health']).toMatchObject({ ok: true });
  });

  it('scores, waives and reports the plugin checks in every format (live)', async () => {
    const run = await readiness(['check', '--now', NOW, '--out', 'live', '--format', FORMATS.join(',')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const reports = await reportsIn(join(dir, 'live'));
    live = JSON.parse(reports.json!) as JsonReport;
    expect(live.source.kind).toBe('live');
    expect(pluginResults(live)).toEqual(EXPECTED);
    expect(live.results.find((r) => r.resource === 'reports' && r.checkId === 'acme.health-latency')?.waiver?.reason).toMatch(/PDFs/);
    expect(live.checks.filter((c) => c.id.startsWith('example.') || c.id.startsWith('acme.'))).toEqual([
      expect.objectContaining({ id: 'example.runbook-owner', section: 'compliance', scored: true }),
      expect.objectContaining({ id: 'acme.health-latency', section: 'domain', scored: true }),
    ]);
    // Scored with the built-ins: the section counts hold the plugin results.
    const compliance = live.sections.find((s) => s.id === 'compliance')!;
    expect(compliance.counts.fail).toBe(live.results.filter((r) => r.checkId.startsWith('compliance.') && r.status === 'fail').length + 1);
    expectInEveryFormat(reports);
  });

  it('replays the same verdicts offline from the snapshot, the plugins loaded', async () => {
    // Offline: the endpoints are gone.
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    const run = await readiness(['check', '--snapshot', 'snapshot.json', '--now', NOW, '--out', 'replay', '--format', FORMATS.join(',')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const reports = await reportsIn(join(dir, 'replay'));
    const replayed = JSON.parse(reports.json!) as JsonReport;
    expect(replayed.source.kind).toBe('snapshot');
    expect(pluginResults(replayed)).toEqual(EXPECTED);
    // The verdicts rest on what was recorded: the probe durations of the snapshot, not of the live run.
    const snapshot = JSON.parse(await readFile(join(dir, 'snapshot.json'), 'utf8')) as { facts: { 'probes.health': { value: { id: string; durationMs: number }[] } } };
    const recorded = snapshot.facts['probes.health'].value.find((p) => p.id === 'reports')!.durationMs;
    expect(replayed.results.find((r) => r.checkId === 'acme.health-latency' && r.resource === 'reports')).toMatchObject({ evidence: { durationMs: recorded } });
    expect(replayed.checks).toEqual(live.checks);
    expectInEveryFormat(reports);
  });

  it("runs the local check's own table-driven test", async () => {
    const tsx = pathToFileURL(createRequire(join(PACKAGE_ROOT, 'package.json')).resolve('tsx')).href;
    const hook = pathToFileURL(join(PACKAGE_ROOT, 'test', 'support', 'plugin-api.mjs')).href;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', tsx, '--import', hook, '--test', join(dir, 'readiness', 'checks', 'acme.health-latency.test.ts')], { cwd: dir });
    expect(stdout).toMatch(/# pass 5\n# fail 0/);
  });

  it('without the plugin installed, the snapshot is refused in one line naming it', async () => {
    await rm(join(dir, 'node_modules', 'readiness-plugin-example'), { recursive: true });
    const run = await readiness(['check', '--snapshot', 'snapshot.json', '--now', NOW]);
    expect(run.code).toBe(2);
    expect(isOneLineError(run.stderr)).toBe(true);
    expect(run.stderr).toMatch(/^readiness: plugin readiness-plugin-example: not installed \(npm install --save-dev readiness-plugin-example/);
  });
});
