import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { loadCatalog } from '../../src/engine/registry.js';
import { entry, tempFolder } from './support.js';

let folder: { dir: string; cleanup(): Promise<void> };
beforeAll(async () => (folder = await tempFolder()));
afterAll(async () => folder?.cleanup());

/** The one-line error of loading the config (schema, then the registry's loaders), or '' when it loads. */
async function loadError(yaml: string): Promise<string> {
  const file = join(folder.dir, 'readiness.config.yaml');
  try {
    await loadCatalog(parseConfig(yaml, file, {}));
    return '';
  } catch (error) {
    return (error as Error).message.replace(folder.dir, '<dir>');
  }
}

const withAws = (...entries: string[]) => `project: test\naws: { region: us-east-1 }\ncustomChecks:\n${entries.join('')}`;
const awsCall = (operation: string, service = 's3') => `aws: { service: ${service}, operation: ${operation}, count: { path: "$.Buckets[*]", min: 1 } }`;

describe('customChecks at load: refused with file:line:col', () => {
  it('only Describe/List/Get operations, never one that reads data or secrets', async () => {
    expect(await loadError(withAws(entry('custom.x', awsCall('PutBucketTagging'), 'aws')))).toMatch(/^<dir>\/readiness\.config\.yaml:\d+:\d+: customChecks\.0\.aws\.operation: only Describe\*, List\* and Get\* operations are accepted$/);
    expect(await loadError(withAws(entry('custom.x', awsCall('GetObject'), 'aws')))).toMatch(/customChecks\.0\.aws\.operation: this operation reads data or secrets/);
    expect(await loadError(withAws(entry('custom.x', awsCall('GetSecretValue', 'secrets-manager'), 'aws')))).toMatch(/reads data or secrets/);
  });

  it('an operation the SDK client does not have, with the closest one it has; an unknown service', async () => {
    const yaml = withAws(entry('custom.x', awsCall('ListBucket'), 'aws'));
    const line = yaml.split('\n').findIndex((l) => l.includes('ListBucket')) + 1;
    const col = yaml.split('\n')[line - 1]!.indexOf('ListBucket') + 1;
    expect(await loadError(yaml)).toBe(`<dir>/readiness.config.yaml:${line}:${col}: customChecks: @aws-sdk/client-s3 has no operation ListBucket — did you mean "ListBuckets"?`);
    expect(await loadError(withAws(entry('custom.x', awsCall('ListBuckets', 'lambda'), 'aws')))).toMatch(/customChecks\.0\.aws\.service: Invalid option/);
  });

  it('a statement that is not a SELECT is refused at load (the read-only transaction remains the guard)', async () => {
    const yaml = `project: test\nsupabase: { projectRef: abcdefghijklmnopqrst, dbUrl: "postgres://x@127.0.0.1/db" }\ncustomChecks:\n${entry('custom.x', 'sql: { query: "delete from exports" }', 'application')}`;
    expect(await loadError(yaml)).toMatch(/readiness\.config\.yaml:\d+:\d+: customChecks\.0\.sql\.query: only a SELECT/);
  });

  it('an id in a built-in namespace, a duplicate id, no kind or two kinds, a typo in a key', async () => {
    expect(await loadError(withAws(entry('aws.s3.mine', awsCall('ListBuckets'), 'aws')))).toMatch(/customChecks\.0\.id: the namespaces .* belong to the built-in checks/);
    expect(await loadError(withAws(entry('evidence.mine', awsCall('ListBuckets'), 'aws')))).toMatch(/uses the built-in namespace "evidence"/);
    expect(await loadError(withAws(entry('custom.x', awsCall('ListBuckets'), 'aws'), entry('custom.x', awsCall('ListBuckets'), 'aws')))).toMatch(/:\d+:\d+: customChecks: "custom.x" is declared twice \(first at .*readiness\.config\.yaml:4:/);
    expect(await loadError(withAws(entry('custom.x', 'file: { path: a.md }\nattestation: { name: a, maxAgeDays: 1 }', 'aws')))).toMatch(/customChecks\.0: give exactly one of http, sql, aws, file, attestation/);
    expect(await loadError(withAws(entry('custom.x', 'file: { path: a.md, reviewdWithinDays: 3 }', 'aws')))).toMatch(/unknown key "reviewdWithinDays" in customChecks\.0\.file — did you mean "reviewedWithinDays"\?/);
  });

  it('an included file: its own file:line:col; an unreadable one at the include', async () => {
    await writeFile(join(folder.dir, 'more.yaml'), `- id: custom.y\n  title: y\n  section: nowhere\n  severity: high\n  remediation: { text: t }\n  file: { path: a.md }\n`);
    expect(await loadError(`project: test\ncustomChecks:\n  - include: more.yaml\n`)).toMatch(/more\.yaml:3:12: 0\.section: Invalid option/);
    expect(await loadError(`project: test\ncustomChecks:\n  - include: missing.yaml\n`)).toBe('<dir>/readiness.config.yaml:3:14: customChecks: cannot read included file missing.yaml (ENOENT)');
  });

  it('a well-formed list loads into the catalog, after the built-ins, with its source', async () => {
    const catalog = await loadCatalog(parseConfig(withAws(entry('custom.x', awsCall('ListBuckets'), 'aws')), join(folder.dir, 'readiness.config.yaml'), {}));
    expect(catalog.checks.at(-1)!.meta).toMatchObject({ id: 'custom.x', section: 'aws', severity: 'high', layer: 'infrastructure', hipaa: ['164.312(b)'] });
    expect(catalog.sources.get('custom.x')).toBe(`customChecks in ${join(folder.dir, 'readiness.config.yaml')}`);
    expect([...catalog.collectors.keys()]).toEqual(['custom.x.aws']);
  });
});

describe('customChecks and the run\'s redaction', () => {
  it('every request header value (from the config or an included file) is a secret the outputs mask', async () => {
    await writeFile(join(folder.dir, 'included.yaml'), `- id: custom.included\n  title: t\n  section: domain\n  severity: low\n  remediation: { text: t }\n  http: { url: "https://api.example.test/", headers: { X-Api-Key: "\${INCLUDED_KEY}" } }\n`);
    const yaml = `project: test\ncustomChecks:\n${entry('custom.own', 'http: { url: "https://api.example.test/health", headers: { Authorization: "Bearer ${OWN_TOKEN}" } }')}  - include: included.yaml\n`;
    // The config and the files it includes read the same environment: the process's, as the CLI runs.
    process.env.INCLUDED_KEY = 'included-key-8c41aa';
    const loaded = parseConfig(yaml, join(folder.dir, 'readiness.config.yaml'), { OWN_TOKEN: 'own-token-2f9d1e', INCLUDED_KEY: 'included-key-8c41aa' });
    try {
      await loadCatalog(loaded);
    } finally {
      delete process.env.INCLUDED_KEY;
    }
    const { secretValues, redact } = await import('../../src/engine/redact.js');
    const secrets = secretValues(loaded.config, {});
    expect(redact('failed with Bearer own-token-2f9d1e and included-key-8c41aa', secrets)).toBe('failed with [redacted] and [redacted]');
  });
});
