import { CreateDBClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/version.js';
import { spawnCli } from '../support/cli.js';
import { PROJECT_REF } from '../support/management-api-server.js';
import { motoEnv, startMoto, type Moto } from '../support/moto.js';
import { startDatabase, type TestDatabase } from '../support/supabase-postgres.js';

// What issue 15 is done by: following docs/plugins.md, a team adds an HTTP check, a SQL check and an AWS call
// check in YAML beside a TypeScript plugin check (examples/plugin), and all four are listed, explained, collected
// live (local server, PGlite, moto), replayed from the snapshot offline, scored, waived and in every format.
const NOW = '2026-12-01T00:00:00Z';
const FORMATS = ['terminal', 'md', 'html', 'json', 'sarif', 'junit', 'github'];
const EXTENSIONS: Record<string, string> = { terminal: 'txt', md: 'md', html: 'html', json: 'json', sarif: 'sarif', junit: 'junit.xml', github: 'github.txt' };
const ONLY = ['--only', 'custom,acme,example'];
let dir: string;
let server: Server;
let database: TestDatabase;
let moto: Moto;
let env: NodeJS.ProcessEnv;

interface JsonReport {
  checks: { id: string; scored: boolean; section: string }[];
  results: { checkId: string; resource: string; status: string; code: string; waiver?: { reason: string } }[];
  source: { kind: string };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-four-kinds-'));
  const example = join(PACKAGE_ROOT, 'examples', 'plugin');
  await cp(example, dir, { recursive: true });
  await cp(join(example, 'readiness-plugin-example'), join(dir, 'node_modules', 'readiness-plugin-example'), { recursive: true });
  server = createServer((request, response) => void response.writeHead(200, { 'content-type': 'application/json' }).end(request.url === '/health/deep' ? '{"dependencies":[{"name":"db","status":"up"},{"name":"queue","status":"up"}]}' : '{"ok":true}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  database = await startDatabase(`create table exports (id text primary key, encrypted boolean); insert into exports values ('exp-1', true), ('exp-2', false);`);
  moto = await startMoto();
  env = { ...motoEnv(moto), SUPABASE_DB_URL: database.url };
  const rds = new RDSClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'clinic-db', Engine: 'aurora-postgresql', MasterUsername: 'admin', MasterUserPassword: 'planted-password-1', Tags: [{ Key: 'data-class', Value: 'phi' }] }));
  rds.destroy();
  const config = join(dir, 'readiness.config.yaml');
  const declared = `
aws: { region: us-east-1, endpoint: "${moto.endpoint}" }
supabase: { projectRef: ${PROJECT_REF}, apiUrl: "http://127.0.0.1:9", dbUrl: "\${SUPABASE_DB_URL}" }
customChecks:
  - id: custom.health-deep
    title: The deep health endpoint reports every dependency up
    section: domain
    severity: high
    hipaa: ["164.308(a)(7)(ii)(B)"]
    remediation: { text: Page the on-call engineer, effortMinutes: 30 }
    http:
      url: http://127.0.0.1:${port}/health/deep
      requireTls: false
      json: [{ path: "$.dependencies[*].status", equals: up }]
  - id: custom.unencrypted-exports
    title: No unencrypted patient export is waiting
    section: application
    severity: critical
    hipaa: ["164.312(a)(2)(iv)"]
    remediation: { text: Encrypt the export or delete it }
    sql: { query: "select id from exports where not encrypted", resource: id }
  - id: custom.cluster-data-class
    title: Every database cluster carries a data-class tag
    section: aws
    severity: medium
    remediation: { text: Tag the cluster }
    aws:
      service: rds
      operation: DescribeDBClusters
      each: $.DBClusters[*]
      resource: $.DBClusterIdentifier
      expect: { path: "$.TagList[*].Key", includes: data-class }
`;
  const waiver = `  - { check: custom.unencrypted-exports, resource: exp-2, reason: "Export of a closed study, deleted on Friday", approvedBy: CISO, expires: 2026-12-31 }\n`;
  const written = (await readFile(config, 'utf8')).replaceAll('127.0.0.1:8080', `127.0.0.1:${port}`).replace('\nwaivers:\n', `\nwaivers:\n${waiver}`);
  await writeFile(config, `${written}${declared}`);
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => (server?.listening ? server.close(resolve) : resolve(undefined)));
  await database?.stop().catch(() => {});
  await moto?.stop().catch(() => {});
  if (dir) await rm(dir, { recursive: true, force: true });
});

const readiness = (args: string[]) => spawnCli(args, { cwd: dir, env });
const EXPECTED = [
  ['acme.health-latency', 'pass', 'within-budget'],
  ['custom.cluster-data-class', 'pass', 'met'],
  ['custom.health-deep', 'pass', 'met'],
  ['custom.unencrypted-exports', 'waived', 'row'],
];

function fourKinds(report: JsonReport): string[][] {
  return report.results.filter((r) => r.checkId.startsWith('custom.') || r.checkId === 'acme.health-latency').filter((r) => r.resource !== 'reports').map((r) => [r.checkId, r.status, r.code]).sort();
}

describe('an HTTP, a SQL and an AWS call check in YAML beside a TypeScript plugin check', () => {
  it('list and explain show all four', async () => {
    const listed = await readiness(['list']);
    for (const id of ['custom.health-deep', 'custom.unencrypted-exports', 'custom.cluster-data-class', 'acme.health-latency']) expect(listed.stdout).toContain(id);
    const explained = await readiness(['explain', 'custom.cluster-data-class']);
    expect(explained.stdout).toMatch(/Permissions: rds:DescribeDBClusters/);
  });

  it('collected live, then replayed offline: scored, waived, in every format', async () => {
    const collected = await readiness(['collect', ...ONLY, '--out', 'snapshot.json', '--now', NOW]);
    expect(collected.code).toBe(0);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await database.stop();
    await moto.stop();
    const run = await readiness(['check', ...ONLY, '--snapshot', 'snapshot.json', '--now', NOW, '--out', 'replay', '--format', FORMATS.join(',')]);
    expect(run.stderr).toBe('');
    const reports = Object.fromEntries(await Promise.all(FORMATS.map(async (format) => [format, await readFile(join(dir, 'replay', `readiness-report.${EXTENSIONS[format]}`), 'utf8')] as const)));
    const report = JSON.parse(reports.json!) as JsonReport;
    expect(report.source.kind).toBe('snapshot');
    expect(fourKinds(report)).toEqual(EXPECTED);
    expect(report.checks.filter((c) => c.id.startsWith('custom.')).every((c) => c.scored)).toBe(true);
    // By id where a format names checks by id; by title where it shows passed checks by title.
    for (const format of ['json', 'sarif', 'junit', 'html']) {
      for (const id of ['custom.health-deep', 'custom.unencrypted-exports', 'custom.cluster-data-class']) expect(reports[format], `${format} ${id}`).toContain(id);
    }
    for (const format of ['md']) {
      for (const title of ['The deep health endpoint reports every dependency up', 'No unencrypted patient export is waiting', 'Every database cluster carries a data-class tag']) expect(reports[format], `${format} ${title}`).toContain(title);
    }
    expect(reports.terminal).toContain('Application');
    expect(reports.md).toContain('Export of a closed study');
  });
});
