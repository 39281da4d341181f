import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSchemas } from '../../src/json-schemas.js';
import { PACKAGE_ROOT } from '../../src/version.js';

describe('committed JSON Schemas', () => {
  it.each(Object.entries(jsonSchemas()))('%s is up to date (else run `npm run schema`)', async (path, generated) => {
    const committed = await readFile(join(PACKAGE_ROOT, path), 'utf8').catch(() => '(missing)');
    expect(committed, `${path} is stale: run npm run schema`).toBe(generated);
  });

  it('the config schema describes the keys of the contract, with defaults and no extra keys', () => {
    const schema = JSON.parse(jsonSchemas()['schema/readiness.config.schema.json']!) as {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { properties?: Record<string, { properties?: Record<string, { default?: unknown }> }> }>;
    };
    expect(schema.required).toEqual(['project']);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['project', 'aws', 'supabase', 'domain', 'probes', 'evidence', 'attestations', 'vendors', 'documents', 'budget', 'gate', 'waivers']));
    expect(schema.properties.aws?.properties?.rds?.properties?.minBackupRetentionDays?.default).toBe(30);
  });

  it('the report schema requires the JSON report contract', () => {
    const schema = JSON.parse(jsonSchemas()['schema/report.schema.json']!) as { required: string[] };
    expect(schema.required).toEqual(expect.arrayContaining(['schemaVersion', 'tool', 'generatedAt', 'project', 'verdict', 'score', 'sections', 'results', 'summary']));
  });
});
