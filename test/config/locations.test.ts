import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONFIG } from '../../src/commands/setup.js';
import { configKeyPath, repositoryPath } from '../../src/config/locations.js';
import { parseConfig } from '../../src/config/load.js';
import type { Result } from '../../src/model.js';
import { runCli } from '../support/cli.js';

const NO_TOKEN = { SUPABASE_ACCESS_TOKEN: undefined, SUPABASE_DB_URL: undefined, GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: undefined, GITHUB_STEP_SUMMARY: undefined };

let dir: string;
let yaml: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-locations-'));
  // A repository whose config is not at its root, as `-c ops/readiness.config.yaml` would name it.
  await mkdir(join(dir, '.git'));
  await mkdir(join(dir, 'ops'));
  yaml = `${await readFile(DEMO_CONFIG, 'utf8')}waivers:\n  - { check: aws.s3.tls-only, resource: mentalspace-ehr-videos-706704660887, reason: moving in Q1, approvedBy: cto@example.com, expires: 2027-06-30 }\n`;
  await writeFile(join(dir, 'ops', 'readiness.config.yaml'), yaml);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The 1-based line of the first line of the config containing `text`. */
const lineOf = (text: string) => yaml.split('\n').findIndex((line) => line.includes(text)) + 1;

interface SarifResult { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } }; logicalLocations: { name: string }[] }[] }

describe('where SARIF and annotations place a finding', () => {
  it('names the config by its path in the repository and points at the line of the key the finding relates to', async () => {
    const out = join(dir, 'out');
    const run = await runCli(['check', '--demo', '-c', join(dir, 'ops', 'readiness.config.yaml'), '--ci', '--format', 'sarif,github', '--out', out], NO_TOKEN);
    expect(run.code).toBe(1);
    const sarifText = await readFile(join(out, 'readiness-report.sarif'), 'utf8');
    const results = (JSON.parse(sarifText) as { runs: { results: SarifResult[] }[] }).runs[0]!.results;
    const at = (checkId: string, resource: string) => {
      const found = results.find((r) => r.ruleId === checkId && r.locations[0]!.logicalLocations[0]!.name === resource)!;
      expect(found, `${checkId} ${resource}`).toBeDefined();
      return found.locations[0]!.physicalLocation;
    };
    for (const r of results) expect(r.locations[0]!.physicalLocation.artifactLocation.uri).toBe('ops/readiness.config.yaml');
    // The bucket's entry under aws.s3.buckets, the cluster, the alarm requirement, the document, the waiver.
    expect(at('aws.s3.access-logging', 'mentalspace-ehr-files-706704660887').region.startLine).toBe(lineOf('- name: mentalspace-ehr-files'));
    expect(at('aws.s3.access-logging', 'mentalspace-ehr-videos-706704660887').region.startLine).toBe(lineOf('- name: mentalspace-ehr-videos'));
    expect(at('aws.rds.deletion-protection', 'mentalspaceehrstack-databaseb269d8bb').region.startLine).toBe(lineOf('clusters: [mentalspaceehrstack'));
    expect(at('monitoring.alarms.required', 'AWS/ApiGateway 5XXError').region.startLine).toBe(lineOf('namespace: AWS/ApiGateway'));
    expect(at('compliance.runbook', 'docs/ops/runbook.md').region.startLine).toBe(lineOf('runbook: docs/ops/runbook.md'));
    expect(at('aws.s3.tls-only', 'mentalspace-ehr-videos-706704660887').region.startLine).toBe(lineOf('- { check: aws.s3.tls-only'));
    // A finding with no key of its own (an attestation never recorded, in no section's key) is at line 1.
    expect(at('compliance.training', 'training').region.startLine).toBe(1);
    // Never a path of the machine.
    expect(sarifText).not.toContain(dir);
    const github = await readFile(join(out, 'readiness-report.github.txt'), 'utf8');
    expect(github).toContain(`::error file=ops/readiness.config.yaml,line=${lineOf('clusters: [mentalspaceehrstack')},title=aws.rds.deletion-protection (critical)::`);
    for (const line of github.split('\n').filter((l) => /^::(error|warning) /.test(l))) {
      expect(line).toMatch(/^::\w+ file=ops\/readiness\.config\.yaml,line=\d+,title=/);
      expect(line).not.toContain(dir);
    }
  });

  it('maps results to config keys purely', () => {
    const loaded = parseConfig(yaml, 'readiness.config.yaml', {});
    const result = (checkId: string, resource: string, extra: Partial<Result> = {}) => ({ checkId, resource, section: checkId.split('.')[0], code: 'x', evidence: {}, ...extra }) as unknown as Result;
    expect(configKeyPath(result('aws.s3.versioning', 'mentalspace-ehr-videos-706704660887'), loaded.config)).toEqual(['aws', 's3', 'buckets', 1]);
    expect(configKeyPath(result('domain.tls.certificate', 'api.mentalspaceehr.com', { section: 'domain' }), loaded.config)).toEqual(['domain', 'hosts', 'api']);
    expect(configKeyPath(result('domain.probes.health', 'api-health', { section: 'domain' }), loaded.config)).toEqual(['probes', 0]);
    expect(configKeyPath(result('aws.rds.multi-az', 'project', { code: 'turned-off' }), loaded.config)).toEqual(['checks', 'aws.rds.multi-az']);
    expect(configKeyPath(result('compliance.training', 'training', { section: 'compliance' }), loaded.config)).toBeUndefined();
    // A key the file does not write (a default) has no line.
    expect(loaded.lineOf(['gate', 'maxWaiverDays'])).toBeUndefined();
    expect(loaded.lineOf(['aws', 's3', 'buckets', 1])).toBe(lineOf('- name: mentalspace-ehr-videos'));
  });

  it('outside a repository: the path from the working folder, else the file name alone', () => {
    const outside = join(tmpdir(), 'no-repo-here', 'cfg', 'readiness.config.yaml');
    expect(repositoryPath(outside, join(tmpdir(), 'no-repo-here'))).toBe('cfg/readiness.config.yaml');
    expect(repositoryPath(outside, homedir())).toBe('readiness.config.yaml');
    expect(repositoryPath(join(dir, 'ops', 'readiness.config.yaml'), '/')).toBe('ops/readiness.config.yaml');
  });
});

describe('configKeyPath on an init-written config (every resource listed)', () => {
  const buckets = Array.from({ length: 20_000 }, (_, i) => `phi-${i}`);
  const { config } = parseConfig(
    [
      'project: big',
      'aws:',
      '  s3:',
      `    buckets: [${buckets.map((b) => `{ name: ${b} }`).join(', ')}]`,
      '  cloudwatch:',
      '    requiredAlarms:',
      '      - { namespace: AWS/RDS, metric: CPUUtilization, maxThreshold: 80, dimensions: { DBClusterIdentifier: db-0 } }',
      '      - { namespace: AWS/RDS, metric: FreeStorageSpace, maxThreshold: 80 }',
      'vendors: [phi-7]',
    ].join('\n'),
    'big.yaml',
  );
  const result = (resource: string) => ({ checkId: 'aws.s3.encryption', section: 'aws', resource, code: 'x', evidence: {} }) as unknown as Result;

  it('finds each entry through an index built once: the last bucket, an alarm by metric and dimensions, the first entry naming a resource', () => {
    expect(configKeyPath(result('phi-19999'), config)).toEqual(['aws', 's3', 'buckets', 19_999]);
    expect(configKeyPath(result('AWS/RDS FreeStorageSpace'), config)).toEqual(['aws', 'cloudwatch', 'requiredAlarms', 1]);
    expect(configKeyPath(result('AWS/RDS CPUUtilization DBClusterIdentifier=db-0'), config)).toEqual(['aws', 'cloudwatch', 'requiredAlarms', 0]);
    // A bucket named like a vendor: the bucket's entry comes first, as before the index.
    expect(configKeyPath(result('phi-7'), config)).toEqual(['aws', 's3', 'buckets', 7]);
    expect(configKeyPath(result('nowhere'), config)).toEqual(['aws']);
  });
});
