import { z } from 'zod';
import { allChecks } from '../checks/index.js';
import { configSchema } from './config/schema.js';
import { checkSettingsSchema } from './engine/options.js';
import { reportSchema } from './report-schema.js';

/** The committed JSON Schemas (path → text), generated from the zod definitions the tool itself validates with. */
export function jsonSchemas(): Record<string, string> {
  // For editors, `checks:` lists each check with its own options (the loader validates them the same way).
  const checks = z.strictObject(Object.fromEntries(allChecks.map((check) => [check.meta.id, checkSettingsSchema(check).optional()]))).optional();
  const config = z.toJSONSchema(configSchema.extend({ checks: checks.describe(configSchema.shape.checks.description ?? '') }), { io: 'input', unrepresentable: 'any' });
  const report = z.toJSONSchema(reportSchema, { io: 'output', unrepresentable: 'any' });
  return {
    'schema/readiness.config.schema.json': render({
      $schema: config.$schema,
      title: 'readiness.config.yaml',
      description: 'Configuration of `readiness`. Values like ${NAME} are read from the environment.',
      ...config,
    }),
    'schema/report.schema.json': render(report),
  };
}

function render(schema: object): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
