import type { z as Zod } from 'zod';
import { z } from '../zod.js';
import { defineFact } from '../model.js';

/** Facts read through a direct Postgres connection (supabase.dbUrl). */

export const remoteMigrations = defineFact({
  id: 'supabase.migrations.remote',
  description: 'Versions recorded in supabase_migrations.schema_migrations, each with a hash of the statements applied',
  permissions: ['SELECT on supabase_migrations.schema_migrations'],
  schema: () => z.object({
    tableExists: z.boolean(),
    versions: z.array(z.string()),
    /**
     * Per version, the hash of the statements the CLI recorded applying it (migrationHash, never the
     * statements); null when none were recorded (statements null, or no such column).
     * Absent in snapshots taken before it was collected.
     */
    hashes: z.record(z.string(), z.string().nullable()).optional(),
  }),
});

export const storageBuckets = defineFact({
  id: 'supabase.storage.buckets',
  description:
    'Storage buckets and whether each is public (storage.buckets), whether row-level security hides rows from the connected role, and which policies on storage.objects let anon or signed-in users read the files of each bucket',
  permissions: ['SELECT on storage.buckets'],
  schema: () => z.object({
    buckets: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        public: z.boolean(),
        /**
         * Permissive SELECT or ALL policies on storage.objects that apply to anon and whose USING
         * condition is not shown false for anon on this bucket's files (what is not understood counts).
         * Absent in snapshots taken before it was collected.
         */
        anonReadPolicies: z.array(z.string()).optional(),
        /**
         * Permissive SELECT or ALL policies on storage.objects that apply to authenticated and are not shown false for it on
         * this bucket's files, by name, with a verdict: `per-user` limits each user to their own files (owner = auth.uid());
         * `every-user` admits every signed-in user to every file (its condition only tests the file, or that there is a caller);
         * `caller-gated` asks who the caller is through a function or sub-select (whom it admits is not read).
         * Absent in snapshots taken before it was collected.
         */
        authenticatedReadPolicies: z.array(z.object({ name: z.string(), verdict: z.enum(['every-user', 'per-user', 'caller-gated']) })).optional(),
      }),
    ),
    /** RLS applies to the connected role on storage.buckets: rows it cannot see are not listed. */
    rowsHiddenByRls: z.boolean(),
    /** How anon and authenticated reach storage.objects; null when the table does not exist. Absent in snapshots taken before it was collected. */
    objects: z
      .object({
        /** anon holds SELECT on storage.objects (and USAGE on storage): without it no policy lets it read. */
        anonSelect: z.boolean(),
        rlsEnabled: z.boolean(),
        /** anon is superuser, BYPASSRLS or the table's owner: RLS does not restrict it. */
        anonBypassesRls: z.boolean(),
        /** As anonSelect and anonBypassesRls, for authenticated (every signed-in user). Absent in snapshots taken before they were collected. */
        authenticatedSelect: z.boolean().optional(),
        authenticatedBypassesRls: z.boolean().optional(),
      })
      .nullable()
      .optional(),
  }),
});

/** The roles the Data API runs requests as: anon (no user) and authenticated. `public` in a policy means every role. */
export const API_ROLES = ['anon', 'authenticated'] as const;

const policyKind = () => z.enum(['row', 'constant', 'signed-in', 'caller-gated']);

const policy = () => z.object({
  name: z.string(),
  command: z.enum(['ALL', 'SELECT', 'INSERT', 'UPDATE', 'DELETE']),
  permissive: z.boolean(),
  /** Role names; `public` when the policy applies to every role. */
  roles: z.array(z.string()),
  using: z.string().nullable(),
  withCheck: z.string().nullable(),
  /** The expression reads no column of the policy's own row (at any depth of sub-selects): it lets every row through whenever it lets any through. */
  usingConstant: z.boolean(),
  withCheckConstant: z.boolean(),
  /**
   * What the expression depends on (absent in snapshots taken before it was collected): `row` reads a column of its row;
   * `constant` nothing at all (`true`, `1 = 1`, `(select true)`); `signed-in` only that there is a signed-in caller
   * (`auth.uid() IS NOT NULL`, `auth.role() = 'authenticated'`); `caller-gated` who the caller is, through a function or
   * another table (`is_admin()`, a staff lookup by auth.uid(), a JWT claim). All but `row` admit whoever they admit to every row.
   */
  usingKind: policyKind().optional(),
  withCheckKind: policyKind().optional(),
  /**
   * How USING reads the session's authenticator assurance level (absent in snapshots taken before it was collected):
   * `aal2` when a top-level AND term is `(auth.jwt() ->> 'aal') = 'aal2'`; `other` when it reads the aal claim some
   * other way (under an OR, only for users with a factor enrolled, `<> 'aal1'`); `none` when it does not read it.
   */
  usingAal: z.enum(['aal2', 'other', 'none']).optional(),
});

const trigger = () => z.object({
  name: z.string(),
  function: z.string(),
  events: z.array(z.string()),
  /** tgenabled O (origin) or A (always): it fires on ordinary writes. */
  enabled: z.boolean(),
  /** The function's source (comments aside) holds an INSERT INTO: it records something. */
  functionInserts: z.boolean(),
  /** The extension the function belongs to (supa_audit), if any. */
  functionExtension: z.string().nullable(),
  /** Its WHEN condition; null when it has none. Absent in snapshots taken before it was collected. */
  when: z.string().nullable().optional(),
  /** UPDATE OF these columns: other updates do not fire it; empty when every update does. Absent in snapshots taken before it was collected. */
  updateOf: z.array(z.string()).optional(),
});

const table = () => z.object({
  schema: z.string(),
  name: z.string(),
  /** `partition`: a leaf of a partitioned table, reachable on its own (pg_graphql exposes it) and under its own RLS. */
  kind: z.enum(['table', 'partitioned', 'partition', 'foreign']),
  owner: z.string(),
  /**
   * anon, authenticated or authenticator (neither superuser) having the owner's privileges, as being it or an INHERIT
   * member of it: Postgres exempts them from the table's RLS unless forced. Absent in snapshots taken before it was collected.
   */
  apiRolesAsOwner: z.array(z.string()).optional(),
  rlsEnabled: z.boolean(),
  rlsForced: z.boolean(),
  policies: z.array(policy()),
  /** API roles (anon, authenticated) holding a privilege on it and USAGE on its schema. */
  apiAccess: z.array(z.string()),
  columns: z.array(z.string()),
  /** User triggers firing on INSERT, UPDATE or DELETE. */
  triggers: z.array(trigger()),
});

const view = () => z.object({
  schema: z.string(),
  name: z.string(),
  securityInvoker: z.boolean(),
  materialized: z.boolean(),
  apiAccess: z.array(z.string()),
  /** Relations (tables, views, ...) the view's query reads, schema-qualified. Absent in snapshots taken before it was collected. */
  baseTables: z.array(z.string()).optional(),
});

const routine = () => z.object({
  schema: z.string(),
  name: z.string(),
  /** Identity arguments, e.g. `patient uuid, note text`. */
  arguments: z.string(),
  securityDefiner: z.boolean(),
  /** A trigger or event-trigger function: it cannot be called through /rpc. */
  returnsTrigger: z.boolean(),
  /** The function's own search_path setting; null when it runs with the caller's (mutable). */
  searchPath: z.string().nullable(),
  /** API roles that may EXECUTE it (and use its schema). */
  apiExecute: z.array(z.string()),
  /**
   * The schemas of its search_path in which PUBLIC, anon or authenticated may CREATE: an object planted there is found in
   * place of the one meant. Absent in snapshots taken before it was collected.
   */
  searchPathWritable: z.array(z.string()).optional(),
});

const role = () => z.object({ name: z.string(), bypassRls: z.boolean(), superuser: z.boolean() });

export const databaseSchema = defineFact({
  id: 'postgres.schema',
  description: 'Tables, partitions and foreign tables (RLS, policies, grants, columns, triggers), views, functions and API roles of the exposed schemas, installed extensions, pgaudit settings',
  permissions: ['SELECT on pg_catalog (any role that can log in)'],
  schema: () => z.object({
    exposedSchemas: z.array(z.string()),
    exposedSchemasSource: z.enum(['pgrst.db_schemas', 'postgrest-config']),
    /**
     * Every table, partition and foreign table of the exposed schemas, the configured PHI tables, and any other on which an
     * API role holds a privilege (and USAGE on its schema); extension-owned ones excluded.
     */
    tables: z.array(table()),
    views: z.array(view()),
    functions: z.array(routine()),
    /** anon, authenticated and authenticator, as far as they exist. */
    apiRoles: z.array(role()),
    extensions: z.array(
      z.object({
        name: z.string(),
        schema: z.string(),
        version: z.string(),
        /**
         * Schemas holding the extension's functions, tables and views (pg_depend 'e'): a member moved out with ALTER … SET SCHEMA,
         * or created elsewhere by the extension's script, is not in `schema`. Absent in snapshots taken before it was collected.
         */
        memberSchemas: z.array(z.string()).optional(),
      }),
    ),
    pgaudit: z.object({
      installed: z.boolean(),
      /** The collector's own session's pgaudit.log (its login role's settings included); superseded by server and settings. */
      log: z.string().nullable(),
      /** Every ALTER ROLE / ALTER DATABASE setting of pgaudit.log, in any database; superseded by settings. */
      roleLog: z.array(z.object({ role: z.string(), log: z.string() })),
      /**
       * pg_settings' pgaudit.log in the collector's session and where it came from (pg_settings.source); null when pgaudit is
       * not loaded. It is the server's own value (configuration file, command line, ALTER SYSTEM, default) only when the source
       * says so; `global`, `database`, `user`, `database user`, `client` or `session` mean a login or session setting hides it.
       */
      server: z.object({ log: z.string().nullable(), source: z.string() }).nullable().optional(),
      /** pg_db_role_setting's pgaudit.log for this database: role null = every role (ALTER DATABASE, ALTER ROLE ALL); inDatabase false = in every database. */
      settings: z.array(z.object({ role: z.string().nullable(), inDatabase: z.boolean(), log: z.string() })).optional(),
    }),
  }),
});
export type DatabasePolicy = Zod.output<ReturnType<typeof policy>>;
export type PolicyKind = Zod.output<ReturnType<typeof policyKind>>;
export type DatabaseView = Zod.output<ReturnType<typeof view>>;
export type DatabaseFunction = Zod.output<ReturnType<typeof routine>>;
export type DatabaseTable = Zod.output<ReturnType<typeof table>>;
