import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startHttp, type LocalServer } from '../probes/support/servers.js';
import { entry, tempFolder } from './support.js';

const TOKEN = 'planted-health-token-51c2e8';
const FORMATS = ['terminal', 'md', 'json', 'html', 'sarif', 'junit', 'github'];
const EXTENSIONS = ['txt', 'md', 'json', 'html', 'sarif', 'junit.xml', 'github.txt'];
let server: LocalServer;
let folder: { dir: string; cleanup(): Promise<void> };
let configFile: string;

beforeAll(async () => {
  server = await startHttp((req, res) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  });
  folder = await tempFolder({ 'RUNBOOK.md': '', 'pentest.pdf': '%PDF-1.7 penetration test report' });
  configFile = join(folder.dir, 'readiness.config.yaml');
  const yaml = `project: declared
attestations:
  pen-test: { date: 2026-06-01, by: Security, evidence: pentest.pdf }
waivers:
  - { check: custom.runbook, reason: "Runbook rewrite in progress", approvedBy: CTO, expires: 2026-12-31 }
customChecks:
${entry('custom.health', `http:\n  url: http://127.0.0.1:${server.port}/health\n  requireTls: false\n  headers: { Authorization: "Bearer \${HEALTH_TOKEN}" }\n  json: [{ path: $.status, equals: ok }]`)}${entry('custom.runbook', 'file: { path: RUNBOOK.md, matches: "## Escalation" }', 'compliance')}${entry('custom.pen-test', 'attestation: { name: pen-test, maxAgeDays: 365 }', 'compliance')}`;
  await import('node:fs/promises').then((fs) => fs.writeFile(configFile, yaml));
});
afterAll(async () => {
  await server?.close();
  await folder?.cleanup();
});

describe('declared checks through the CLI', () => {
  it('list and explain show them, with their source', async () => {
    const list = await runCli(['list', '--config', configFile]);
    expect(list.stdout).toMatch(/custom\.health\s+high\s+custom\.health holds/);
    const explain = await runCli(['explain', 'custom.health', '--config', configFile]);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain(`Source:      customChecks in ${configFile}`);
    expect(explain.stdout).toContain('Facts:       custom.health.http');
  });

  it('collected into a snapshot (no header value in it), replayed offline into every format: scored and waivable', async () => {
    const snapshot = join(folder.dir, 'snapshot.json');
    const collected = await runCli(['collect', '--config', configFile, '--out', snapshot, '--now', '2026-11-30T12:00:00Z'], { HEALTH_TOKEN: TOKEN });
    expect(collected.code).toBe(0);
    const recorded = await readFile(snapshot, 'utf8');
    expect(recorded).not.toContain(TOKEN);
    expect(Object.keys(JSON.parse(recorded).facts)).toEqual(expect.arrayContaining(['attestations', 'custom.health.http', 'custom.runbook.file']));

    await server.close();
    const out = join(folder.dir, 'reports');
    const run = await runCli(['check', '--config', configFile, '--snapshot', snapshot, '--format', FORMATS.join(','), '--out', out, '--now', '2026-11-30T12:00:00Z'], { HEALTH_TOKEN: TOKEN });
    expect(run.stderr).toBe('');
    const report = JSON.parse(await readFile(join(out, 'readiness-report.json'), 'utf8')) as { results: { checkId: string; status: string; code: string }[]; checks: { id: string }[] };
    const declared = report.results.filter((r) => r.checkId.startsWith('custom.')).map((r) => [r.checkId, r.status, r.code]);
    expect(declared).toEqual([
      ['custom.health', 'pass', 'met'],
      ['custom.runbook', 'waived', 'no-match'],
      ['custom.pen-test', 'pass', 'attested'],
    ]);
    for (const extension of EXTENSIONS) {
      const text = await readFile(join(out, `readiness-report.${extension}`), 'utf8');
      expect(text, extension).not.toContain(TOKEN);
      if (extension !== 'txt' && extension !== 'github.txt') expect(text, extension).toContain('custom.health');
      if (extension !== 'github.txt') expect(text, extension).toContain('custom.runbook');
    }
  });
});
