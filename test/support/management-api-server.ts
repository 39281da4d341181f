import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import authConfigSample from '../fixtures/supabase/auth-config.json' with { type: 'json' };
import type { components } from '../../src/collectors/supabase/management-api.js';

type Schemas = components['schemas'];

export interface ScriptedAnswer {
  status: number;
  body?: unknown;
  /** Sent as is instead of JSON-encoding `body` (e.g. a truncated document). */
  raw?: string;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
}

export interface ManagementApiServer {
  url: string;
  requests: RecordedRequest[];
  /** The next answers for a path (e.g. 429 then 200); once used up, the route's normal answer applies. */
  script(path: string, ...answers: ScriptedAnswer[]): void;
  stop(): Promise<void>;
}

/**
 * A local stand-in for https://api.supabase.com (no emulator exists): answers GETs of
 * /v1/projects/{ref}/... with the given bodies, and 404 for anything else.
 */
export async function startManagementApi(routes: Record<string, unknown>): Promise<ManagementApiServer> {
  const scripted = new Map<string, ScriptedAnswer[]>();
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: request.method ?? '', path: url.pathname, query: url.searchParams, authorization: request.headers.authorization });
    if (request.method === 'PATCH' && url.pathname.endsWith('/billing/addons')) return applyAddon(request, url.pathname, routes, response);
    const answer = scripted.get(url.pathname)?.shift() ?? (url.pathname in routes ? { status: 200, body: routes[url.pathname] } : { status: 404, body: { message: 'Not found' } });
    response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    response.end(answer.raw ?? (answer.body === undefined ? '' : JSON.stringify(answer.body)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(path, ...answers) {
      scripted.set(path, [...(scripted.get(path) ?? []), ...answers]);
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * PATCH /billing/addons as the real API applies it: the PITR add-on turns `pitr_enabled` on in the backups answer,
 * and WAL archiving opens a restore window (physical_backup_data) from now, unless the answer already has one.
 */
function applyAddon(request: IncomingMessage, path: string, routes: Record<string, unknown>, response: import('node:http').ServerResponse): void {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString()));
  request.on('end', () => {
    const addon = JSON.parse(body || '{}') as { addon_type?: string };
    const backups = routes[path.replace(/\/billing\/addons$/, '/database/backups')] as Partial<Schemas['V1BackupsResponse']> | undefined;
    if (addon.addon_type === 'pitr' && backups) {
      backups.pitr_enabled = true;
      const opened = Math.floor(Date.now() / 1000);
      if (!backups.physical_backup_data?.latest_physical_backup_date_unix) backups.physical_backup_data = { earliest_physical_backup_date_unix: opened, latest_physical_backup_date_unix: opened };
    }
    response.writeHead(addon.addon_type ? 200 : 400, { 'content-type': 'application/json' });
    response.end('{}');
  });
}

export const PROJECT_REF = 'abcdefghijklmnopqrst';

/** Planted in the answers: none of these may ever appear in a fact, snapshot or report. */
export const PLANTED_SECRETS = {
  captcha: 'planted-captcha-secret-7f3a',
  smtpPassword: 'planted-smtp-password-91bc',
  hookSecret: 'v1,whsec_planted-hook-secret-55de',
  jwtSecret: 'planted-jwt-secret-super-long-0123456789abcdef',
  githubSecret: 'planted-github-oauth-secret-a1b2',
  secretDigest: 'planted-secret-digest-9e8d7c6b5a',
};

export interface ProjectState {
  auth?: Partial<Schemas['AuthConfigResponse']>;
  functions?: Schemas['FunctionResponse'][];
  secrets?: string[];
  /** The `value` answered for a secret (the API's SHA-256 hex digest of it); others answer the planted digest. */
  secretValues?: Record<string, string>;
  project?: Partial<Schemas['V1ProjectWithDatabaseResponse']>;
  health?: Schemas['V1ServiceHealthResponse'][];
  ssl?: Schemas['SslEnforcementResponse'];
  network?: Schemas['NetworkRestrictionsResponse'];
  backups?: Schemas['V1BackupsResponse'];
  lints?: Schemas['V1ProjectAdvisorsResponse']['lints'];
  dbSchema?: string;
}

/** Answers shaped by the OpenAPI schemas (typed against the generated types), for a healthy, well-configured project. */
export function projectRoutes(state: ProjectState = {}, ref = PROJECT_REF): Record<string, unknown> {
  const base = `/v1/projects/${ref}`;
  const auth: Schemas['AuthConfigResponse'] = {
    ...(authConfigSample as unknown as Schemas['AuthConfigResponse']),
    mfa_totp_enroll_enabled: true,
    mfa_max_enrolled_factors: 10,
    mfa_totp_verify_enabled: true,
    sessions_inactivity_timeout: 0.25,
    sessions_timebox: 12,
    jwt_exp: 900,
    password_min_length: 12,
    password_hibp_enabled: true,
    security_captcha_secret: PLANTED_SECRETS.captcha,
    smtp_pass: PLANTED_SECRETS.smtpPassword,
    hook_send_email_secrets: PLANTED_SECRETS.hookSecret,
    external_github_secret: PLANTED_SECRETS.githubSecret,
    ...state.auth,
  };
  const project: Schemas['V1ProjectWithDatabaseResponse'] = {
    id: ref,
    ref,
    organization_id: 'org',
    organization_slug: 'org',
    name: 'ehr',
    region: 'us-east-1',
    created_at: '2025-06-01T00:00:00Z',
    status: 'ACTIVE_HEALTHY',
    database: { host: `db.${ref}.supabase.co`, version: '15.8.1.093', postgres_engine: '15', release_channel: 'ga' },
    ...state.project,
  };
  const health: Schemas['V1ServiceHealthResponse'][] = state.health ?? [
    { name: 'auth', healthy: true, status: 'ACTIVE_HEALTHY', info: { name: 'GoTrue', version: '2.170.0', description: 'GoTrue' } },
    { name: 'db', healthy: true, status: 'ACTIVE_HEALTHY' },
    { name: 'rest', healthy: true, status: 'ACTIVE_HEALTHY', info: { db_schema: 'public' } },
    { name: 'storage', healthy: true, status: 'ACTIVE_HEALTHY' },
    { name: 'realtime', healthy: true, status: 'ACTIVE_HEALTHY' },
  ];
  const secrets: Schemas['SecretResponse'][] = (state.secrets ?? ['DATABASE_PASSWORD']).map((name) => ({ name, value: state.secretValues?.[name] ?? PLANTED_SECRETS.secretDigest, updated_at: '2025-10-01T00:00:00Z' }));
  const postgrest: Schemas['PostgrestConfigWithJWTSecretResponse'] = {
    db_schema: state.dbSchema ?? 'public, graphql_public',
    max_rows: 1000,
    db_extra_search_path: 'public, extensions',
    db_pool: null,
    jwt_secret: PLANTED_SECRETS.jwtSecret,
  };
  const ssl: Schemas['SslEnforcementResponse'] = state.ssl ?? { currentConfig: { database: true }, appliedSuccessfully: true };
  const network: Schemas['NetworkRestrictionsResponse'] = state.network ?? {
    entitlement: 'allowed',
    config: { dbAllowedCidrs: ['203.0.113.0/24'], dbAllowedCidrsV6: [] },
    status: 'applied',
  };
  const backups: Schemas['V1BackupsResponse'] = state.backups ?? {
    region: 'us-east-1',
    walg_enabled: true,
    pitr_enabled: true,
    backups: [{ id: 1, is_physical_backup: true, status: 'COMPLETED', inserted_at: '2025-10-11T03:00:00Z' }],
    physical_backup_data: { earliest_physical_backup_date_unix: 1759615200, latest_physical_backup_date_unix: 1760220000 },
  };
  const advisors: Schemas['V1ProjectAdvisorsResponse'] = { lints: state.lints ?? [] };
  return {
    [base]: project,
    [`${base}/health`]: health,
    [`${base}/secrets`]: secrets,
    [`${base}/functions`]: state.functions ?? [],
    [`${base}/config/auth`]: auth,
    [`${base}/postgrest`]: postgrest,
    [`${base}/ssl-enforcement`]: ssl,
    [`${base}/network-restrictions`]: network,
    [`${base}/database/backups`]: backups,
    [`${base}/advisors/security`]: advisors,
  };
}

export function deployedFunction(slug: string, over: Partial<Schemas['FunctionResponse']> = {}): Schemas['FunctionResponse'] {
  return { id: `fn-${slug}`, slug, name: slug, status: 'ACTIVE', version: 3, created_at: Date.parse('2025-09-01T00:00:00Z'), updated_at: Date.parse('2025-10-10T00:00:00Z'), verify_jwt: true, ...over };
}
