import { describe, expect, it } from 'vitest';
import { isPair, isSeq, parseDocument, visit, type YAMLMap } from 'yaml';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

// Every kind of map the schema has: strict objects at each depth, records (attestations,
// documents, hosts, resolve, dimensions), maps inside lists (buckets, alarms, probes, waivers).
const FULL = `project: smuggling
aws:
  region: us-east-1
  rds: { clusters: [db], serverless: { minCapacity: 0.5 } }
  s3: { buckets: [{ name: ehr-files }] }
  cloudwatch: { requiredAlarms: [{ namespace: AWS/RDS, metric: CPUUtilization, dimensions: { DBClusterIdentifier: db } }] }
  cognito: { userPools: [pool] }
supabase: { projectRef: abcdefghijklmnopqrst }
domain: { name: example.test, hosts: { app: app.example.test }, resolve: { app.example.test: 127.0.0.1 } }
probes: [{ id: health, url: https://example.test/health }]
evidence: { e2e: reports/*.xml, loadTest: { summary: k6.json } }
attestations: { aws-baa: { signed: 2025-10-13, by: Jane, evidence: baa.pdf } }
vendors: [supabase]
documents: { runbook: docs/runbook.md }
budget: { monthlyUsd: 250 }
gate: { minScore: 95, failOn: high }
waivers: [{ check: aws.cloudfront.waf, reason: r, approvedBy: a, expires: 2099-12-31 }]
`;
const SMUGGLED = { project: 'smuggled', gate: { minScore: 0, failOn: 'low' }, waivers: [], signed: '2025-01-01', by: 'x', evidence: 'y', minScore: 0 };

function mapPaths(text: string): string[] {
  const paths: string[] = [];
  visit(parseDocument(text), {
    Map(_, _map, path) {
      const names = path.flatMap((node) => (isPair(node) ? [String(node.key)] : isSeq(node) ? ['[]'] : []));
      paths.push(names.join('.').replaceAll('.[]', '[]') || 'the top level');
    },
  });
  return paths;
}

/** The config with `key: <SMUGGLED>` added to its n-th map. */
function withKeyInMap(text: string, n: number, key: string): string {
  const document = parseDocument(text);
  let index = 0;
  visit(document, {
    Map(_, map: YAMLMap) {
      if (index++ !== n) return undefined;
      map.add(document.createPair(key, SMUGGLED));
      return visit.BREAK;
    },
  });
  return String(document);
}

describe('prototype keys in the config', () => {
  it('the full config itself is valid', () => {
    expect(parseConfig(FULL, 'readiness.config.yaml', {}).config.gate).toMatchObject({ minScore: 95, failOn: 'high' });
  });

  const maps = mapPaths(FULL);
  it('every map of the config is covered', () => {
    expect(maps.length).toBeGreaterThanOrEqual(20);
  });

  describe.each(['__proto__', 'constructor', 'prototype'])('%s', (key) => {
    it.each(maps.map((path, n) => [path, n] as const))('is refused in %s, with its line', (_path, n) => {
      const text = withKeyInMap(FULL, n, key);
      expect(text).toContain(`${key}:`);
      let error: unknown;
      try {
        parseConfig(text, 'readiness.config.yaml', {});
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(new RegExp(`^readiness\\.config\\.yaml:\\d+:\\d+: key "${key}" is not allowed$`));
    });
  });

  it.each([
    ['quoted', 'project: x\n"__proto__": { gate: { minScore: 0 } }\n'],
    ['in flow style', 'project: x\ngate: { "__proto__": { minScore: 0 } }\n'],
    ['through an alias', 'project: x\nname: &key __proto__\ngate: { *key : { minScore: 0 } }\n'],
  ])('is refused %s too', (_how, text) => {
    expect(() => parseConfig(text, 'readiness.config.yaml', {})).toThrow(/key "__proto__" is not allowed/);
  });

  it('a list or map as a key is refused (it would be turned into a string key)', () => {
    expect(() => parseConfig('project: x\n? [__proto__]\n: { minScore: 0 }\n', 'c.yaml', {})).toThrow(/a key must be a plain name/);
  });
});
