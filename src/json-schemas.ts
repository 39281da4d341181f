import { z } from './zod-package.js';
import { allChecks } from '../checks/index.js';
import { configSchema } from './config/schema.js';
import { checkSettingsSchema } from './engine/options.js';
import { reportSchema } from './report-schema.js';
import { SEVERITIES } from './model.js';

/** The committed JSON Schemas (path → text), generated from the zod definitions the tool itself validates with. */
export function jsonSchemas(): Record<string, string> {
  // For editors, `checks:` lists each built-in check with its own options (the loader validates them the same way).
  // A plugin's checks are known only at run time: any id outside the built-in namespaces takes the engine's keys.
  const pluginCheck = z.looseObject({ severity: z.enum(SEVERITIES).optional(), off: z.string().min(1).optional() }).describe("A plugin's check: the engine's keys and the check's own options (validated when the plugin loads).");
  const checks = z.object(Object.fromEntries(allChecks.map((check) => [check.meta.id, checkSettingsSchema(check).optional()]))).catchall(pluginCheck).optional();
  const config = z.toJSONSchema(configSchema.extend({ checks: checks.describe(configSchema.shape.checks.description ?? '') }), { io: 'input', unrepresentable: 'any' });
  const namespaces = [...new Set(allChecks.map((check) => check.meta.id.split('.')[0]!))];
  // A typo in a built-in id is still flagged: an unknown key in a built-in namespace matches neither branch.
  (config.properties!.checks as { propertyNames?: object }).propertyNames = { anyOf: [{ enum: allChecks.map((check) => check.meta.id) }, { not: { pattern: `^(${namespaces.join('|')})\\.` } }] };
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
