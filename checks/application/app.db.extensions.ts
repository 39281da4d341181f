import { defineCheck, type Finding } from '../../src/model.js';
import { databaseSchema } from '../../src/facts/postgres.js';
import { shellWord, sqlIdentifier } from '../lib/database.js';

export default defineCheck({
  meta: {
    id: 'app.db.extensions',
    title: 'Required extensions are installed outside public',
    failureTitle: 'Extensions are missing or installed in public',
    description:
      'The schema relies on `supabase.requiredExtensions` (default pgcrypto and uuid-ossp). An extension in the public schema, or in any other schema the Data API exposes, exposes its functions through it; Supabase installs them in `extensions`. Where its functions and tables are counts, not only where it was installed: one can be moved out alone.',
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
      'members-exposed':
        'Extension {{resource}} is installed in {{schema}}, but some of its functions or tables are in {{memberSchemas}}, which the Data API exposes: list them with \\dx+ and move each back to {{schema}} (ALTER FUNCTION … SET SCHEMA)',
      'members-not-collected':
        'Extension {{resource}} is installed in {{schema}}, but this snapshot does not say where its functions and tables are (one can be moved out of the extension\'s schema): collect again',
    },
  },
  facts: { schema: databaseSchema },
  evaluate({ schema }, { config }) {
    const required = config.supabase?.requiredExtensions ?? ['pgcrypto', 'uuid-ossp'];
    // Functions of any exposed schema are callable through /rpc, not only those of public.
    const exposed = new Set(['public', ...schema.exposedSchemas]);
    // pg_extension names the schema it was installed in; a member moved out with ALTER … SET SCHEMA is reached where it now is.
    const exposedMembers = (e: { memberSchemas?: string[] }) => (e.memberSchemas ?? []).filter((memberSchema) => exposed.has(memberSchema));
    const names = [...new Set([...required, ...schema.extensions.filter((e) => exposed.has(e.schema) || exposedMembers(e).length > 0).map((e) => e.name)])];
    return names.map((name): Finding => {
      const extension = schema.extensions.find((candidate) => candidate.name === name);
      if (!extension) return { resource: name, status: 'fail', code: 'missing', args: { sql: shellWord(`create extension if not exists ${sqlIdentifier(name)} with schema extensions;`) }, evidence: { installed: false } };
      const args = { schema: extension.schema, version: extension.version, sql: shellWord(`alter extension ${sqlIdentifier(name)} set schema extensions;`) };
      const evidence = { installed: true, schema: extension.schema, version: extension.version, required: required.includes(name), memberSchemas: extension.memberSchemas ?? null };
      if (extension.schema === 'public') return { resource: name, status: 'fail', code: 'in-public', args, evidence };
      if (exposed.has(extension.schema)) return { resource: name, status: 'fail', code: 'exposed', args, evidence };
      const membersExposed = exposedMembers(extension);
      if (membersExposed.length > 0) return { resource: name, status: 'fail', code: 'members-exposed', args: { ...args, memberSchemas: membersExposed.join(', '), sql: shellWord(`\\dx+ ${sqlIdentifier(name)}`) }, evidence };
      if (extension.memberSchemas === undefined) return { resource: name, status: 'unverified', code: 'members-not-collected', args, evidence };
      return { resource: name, status: 'pass', code: 'installed', args, evidence };
    });
  },
});
