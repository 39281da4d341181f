import { defineCheck, type Finding } from '../../src/model.js';
import { databaseSchema } from '../../src/facts/postgres.js';
import { shellWord, sqlIdentifier } from '../lib/database.js';

export default defineCheck({
  meta: {
    id: 'app.db.extensions',
    title: 'Required extensions are installed outside public',
    failureTitle: 'Extensions are missing or installed in public',
    description:
      'The schema relies on `supabase.requiredExtensions` (default pgcrypto and uuid-ossp). An extension in the public schema, or in any other schema the Data API exposes, exposes its functions through it; Supabase installs them in `extensions`.',
    section: 'application',
    severity: 'low',
    layer: 'application',
    hipaa: [],
    phase: 2,
    remediation: {
      text: 'Install the extension in the extensions schema, or move it there',
      command: `psql "$SUPABASE_DB_URL" -c {{sql}}`,
      effortMinutes: 10,
    },
    messages: {
      installed: 'Extension {{resource}} {{version}} is installed in {{schema}}',
      missing: 'Required extension {{resource}} is not installed',
      'in-public': 'Extension {{resource}} is installed in the public schema',
      exposed: 'Extension {{resource}} is installed in {{schema}}, a schema the Data API exposes',
    },
  },
  facts: { schema: databaseSchema },
  evaluate({ schema }, { config }) {
    const required = config.supabase?.requiredExtensions ?? ['pgcrypto', 'uuid-ossp'];
    // Functions of any exposed schema are callable through /rpc, not only those of public.
    const exposed = new Set(['public', ...schema.exposedSchemas]);
    const names = [...new Set([...required, ...schema.extensions.filter((e) => exposed.has(e.schema)).map((e) => e.name)])];
    return names.map((name): Finding => {
      const extension = schema.extensions.find((candidate) => candidate.name === name);
      if (!extension) return { resource: name, status: 'fail', code: 'missing', args: { sql: shellWord(`create extension if not exists ${sqlIdentifier(name)} with schema extensions;`) }, evidence: { installed: false } };
      const args = { schema: extension.schema, version: extension.version, sql: shellWord(`alter extension ${sqlIdentifier(name)} set schema extensions;`) };
      const evidence = { installed: true, schema: extension.schema, version: extension.version, required: required.includes(name) };
      if (extension.schema === 'public') return { resource: name, status: 'fail', code: 'in-public', args, evidence };
      if (exposed.has(extension.schema)) return { resource: name, status: 'fail', code: 'exposed', args, evidence };
      return { resource: name, status: 'pass', code: 'installed', args, evidence };
    });
  },
});
