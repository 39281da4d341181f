import { describe, expect, it } from 'vitest';
import definerFunctions from '../../../checks/application/app.db.definer-functions.js';
import { renderedCommands, runCase, type CheckCase } from '../../support/check-tester.js';

const schema = (functions: Record<string, unknown>[]) => ({
  exposedSchemas: ['public'], exposedSchemasSource: 'pgrst.db_schemas', tables: [], views: [], functions, apiRoles: [], extensions: [], pgaudit: { installed: false, log: null, roleLog: [] },
});
/** As the collector reads them: a definer function only service_role may run, search_path as Postgres stores it. */
const fn = (name: string, over: Record<string, unknown> = {}) => ({
  schema: 'public', name, arguments: '', securityDefiner: true, returnsTrigger: false, searchPath: 'pg_catalog, pg_temp', apiExecute: [], searchPathWritable: [], ...over,
});

describe('app.db.definer-functions: a set search_path that does not hold', () => {
  const cases: CheckCase[] = [
    { name: 'a definer function pinned with pg_temp last passes', facts: { schema: schema([fn('purge')]) }, expected: [['public.purge()', 'pass', 'definer-fixed']] },
    { name: 'a definer function pinned to public alone searches the caller\'s temporary schema first', facts: { schema: schema([fn('purge', { searchPath: 'public' })]) }, expected: [['public.purge()', 'fail', 'temp-schema-first']] },
    { name: "a definer function with search_path = '' searches the caller's temporary schema first", facts: { schema: schema([fn('purge', { searchPath: '""' })]) }, expected: [['public.purge()', 'fail', 'temp-schema-first']] },
    { name: 'pg_temp listed, but not last, fails', facts: { schema: schema([fn('purge', { searchPath: 'pg_temp, public' })]) }, expected: [['public.purge()', 'fail', 'temp-schema-first']] },
    { name: 'a schema named like pg_temp is not pg_temp', facts: { schema: schema([fn('purge', { searchPath: '"x, pg_temp"' })]) }, expected: [['public.purge()', 'fail', 'temp-schema-first']] },
    { name: 'a definer trigger function pinned to public alone fails too', facts: { schema: schema([fn('audit', { searchPath: 'public', returnsTrigger: true, apiExecute: ['anon', 'authenticated'] })]) }, expected: [['public.audit()', 'fail', 'temp-schema-first']] },
    {
      name: 'an invoker function may leave pg_temp first: the temporary objects are the caller\'s own, run with its own rights',
      facts: { schema: schema([fn('lookup', { securityDefiner: false, searchPath: 'public', apiExecute: ['anon', 'authenticated'] }), fn('uid', { securityDefiner: false, searchPath: '""' })]) },
      expected: [['public.lookup()', 'pass', 'safe'], ['public.uid()', 'pass', 'safe']],
    },
    { name: 'a definer function whose path holds a schema PUBLIC may create in fails', facts: { schema: schema([fn('purge', { searchPath: 'public, pg_temp', searchPathWritable: ['public'] })]) }, expected: [['public.purge()', 'fail', 'writable-search-path']] },
    { name: 'an invoker function whose path holds a schema PUBLIC may create in fails', facts: { schema: schema([fn('lookup', { securityDefiner: false, searchPath: 'public', searchPathWritable: ['public'] })]) }, expected: [['public.lookup()', 'fail', 'writable-search-path']] },
    {
      name: 'a snapshot without searchPathWritable is unverified when the path names a schema',
      facts: { schema: schema([fn('purge', { searchPath: 'public, pg_temp', searchPathWritable: undefined }), fn('lookup', { securityDefiner: false, searchPath: 'public', searchPathWritable: undefined })]) },
      expected: [['public.purge()', 'unverified', 'writable-not-collected'], ['public.lookup()', 'unverified', 'writable-not-collected']],
    },
    {
      name: 'a snapshot without searchPathWritable still judges paths that name no schema one could create in',
      facts: { schema: schema([fn('purge', { searchPathWritable: undefined }), fn('uid', { securityDefiner: false, searchPath: '""', searchPathWritable: undefined }), fn('old', { searchPath: 'public', searchPathWritable: undefined })]) },
      expected: [['public.purge()', 'pass', 'definer-fixed'], ['public.uid()', 'pass', 'safe'], ['public.old()', 'fail', 'temp-schema-first']],
    },
    { name: 'a definer function the API may call still fails as exposed', facts: { schema: schema([fn('all_notes', { searchPath: 'public', apiExecute: ['anon'] })]) }, expected: [['public.all_notes()', 'fail', 'definer-exposed']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(definerFunctions, c)).toEqual(c.expected));

  it('the fixes keep the path and put pg_temp last, or revoke CREATE on the schemas', () => {
    const functions = [fn('a', { searchPath: 'public' }), fn('b', { searchPath: '""' }), fn('c', { searchPath: 'pg_temp, "My Schema", extensions' }), fn('d', { searchPath: 'public, pg_temp', searchPathWritable: ['public', 'x"y'] })];
    expect(renderedCommands(definerFunctions, { schema: schema(functions) })).toEqual([
      `psql "$SUPABASE_DB_URL" -c 'alter function "public"."a"() set search_path = public, pg_temp;'`,
      `psql "$SUPABASE_DB_URL" -c 'alter function "public"."b"() set search_path = pg_catalog, pg_temp;'`,
      `psql "$SUPABASE_DB_URL" -c 'alter function "public"."c"() set search_path = "My Schema", extensions, pg_temp;'`,
      `psql "$SUPABASE_DB_URL" -c 'revoke create on schema "public", "x""y" from public, anon, authenticated;'`,
    ]);
  });
});
