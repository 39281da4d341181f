import { z } from 'zod';
import { configSchema } from './config/schema.js';
import { reportSchema } from './report-schema.js';

/** The committed JSON Schemas (path → text), generated from the zod definitions the tool itself validates with. */
export function jsonSchemas(): Record<string, string> {
  const config = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
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
