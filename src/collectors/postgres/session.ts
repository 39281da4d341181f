import pg from 'pg';
import { FactError, type CollectContext } from '../types.js';

/** Each statement's own limits: a locked or slow catalog must cost one fact, not the run. */
export const STATEMENT_TIMEOUT_MS = 15_000;
export const LOCK_TIMEOUT_MS = 3_000;

/**
 * One Postgres connection per run, shared by the facts that read the database: opened by
 * the first of them, closed when the last one in flight is done. Runs are told apart by
 * their AwsSession, the one object every collector of a run shares.
 */
class PostgresSession {
  private client: Promise<pg.Client> | undefined;
  private users = 0;
  /** One fact's queries at a time: pg 9 drops queuing concurrent queries on one client. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly url: string) {}

  async use<T>(work: (client: pg.Client) => Promise<T>, signal?: AbortSignal): Promise<T> {
    this.users++;
    try {
      this.client ??= this.connect();
      const client = await this.client;
      const mine = this.turn.then(async () => {
        signal?.throwIfAborted();
        // The run gave up on this fact: stop its statement on the server too, not only here.
        const cancel = () => void this.cancelRunningQuery(client);
        signal?.addEventListener('abort', cancel, { once: true });
        try {
          return await work(client);
        } finally {
          signal?.removeEventListener('abort', cancel);
        }
      });
      this.turn = mine.catch(() => {});
      return await mine;
    } finally {
      if (--this.users === 0) {
        const closing = this.client;
        this.client = undefined;
        void closing?.then((client) => client.end()).catch(() => {});
      }
    }
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ ...clientOptions(this.url), connectionTimeoutMillis: 10_000, application_name: 'readiness' });
    // A dropped connection must not crash the run: the query in flight fails and is reported.
    client.on('error', () => {});
    try {
      await client.connect();
      // Catalog names resolve in pg_catalog first, whatever the role's or database's search_path:
      // a `public.pg_class` view cannot stand in for the catalog.
      await client.query(
        `select pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', false),
                pg_catalog.set_config('statement_timeout', $1, false),
                pg_catalog.set_config('lock_timeout', $2, false)`,
        [String(STATEMENT_TIMEOUT_MS), String(LOCK_TIMEOUT_MS)],
      );
    } catch (error) {
      await client.end().catch(() => {});
      throw postgresFactError(error, 'connect', this.url);
    }
    return client;
  }

  /** A cancel request for the backend's running statement, from a second short-lived connection. */
  private async cancelRunningQuery(client: pg.Client): Promise<void> {
    const pid = (client as unknown as { processID: number | null }).processID;
    if (!pid) return;
    const canceller = new pg.Client({ ...clientOptions(this.url), connectionTimeoutMillis: 5_000, application_name: 'readiness-cancel' });
    canceller.on('error', () => {});
    try {
      await canceller.connect();
      await canceller.query('select pg_catalog.pg_cancel_backend($1)', [pid]);
    } catch {
      // Best effort: the statement timeout ends it anyway.
    } finally {
      await canceller.end().catch(() => {});
    }
  }
}

/**
 * pg treats sslmode prefer/require/verify-ca as verify-full and warns about it on stderr, in
 * several lines; saying verify-full keeps that behaviour without the warning.
 */
function clientOptions(url: string): pg.ClientConfig {
  try {
    const parsed = new URL(url);
    const mode = parsed.searchParams.get('sslmode');
    if (mode && ['prefer', 'require', 'verify-ca'].includes(mode) && !parsed.searchParams.has('uselibpqcompat')) {
      parsed.searchParams.set('sslmode', 'verify-full');
      return { connectionString: parsed.toString() };
    }
  } catch {
    // Validated before; pg reports what is left.
  }
  return { connectionString: url };
}

const sessions = new WeakMap<object, Map<string, PostgresSession>>();

const PERCENT_ENCODE_FIX = 'percent-encode reserved characters of the password in supabase.dbUrl / SUPABASE_DB_URL (@ → %40, / → %2F, # → %23, ? → %3F, : → %3A)';

/**
 * A password with an unencoded `@`, `/`, `#` or `?` splits the URL in the wrong place, so pg
 * would take part of it for the host or database and print it in its errors.
 */
export function checkDatabaseUrl(url: string): void {
  const scheme = /^postgres(ql)?:\/\//i.exec(url);
  if (!scheme) throw new FactError('NoCredentials', 'supabase.dbUrl is not a postgres:// or postgresql:// URL', 'use the connection string from Dashboard → Connect');
  const rest = url.slice(scheme[0].length);
  const lastAt = rest.lastIndexOf('@');
  const userInfo = lastAt >= 0 ? rest.slice(0, lastAt) : '';
  if (/[@/#?]/.test(userInfo)) throw new FactError('NoCredentials', 'supabase.dbUrl: the user or password holds an unencoded @, /, # or ? (nothing of it is shown)', PERCENT_ENCODE_FIX);
  try {
    new URL(url);
  } catch {
    throw new FactError('NoCredentials', 'supabase.dbUrl is not a valid URL (nothing of it is shown)', PERCENT_ENCODE_FIX);
  }
}

function databaseUrl(context: CollectContext): string {
  const supabase = context.config.supabase;
  if (!supabase) throw new FactError('NotConfigured', 'no `supabase` section in the config');
  const url = supabase.dbUrl || context.env.SUPABASE_DB_URL;
  if (!url) throw new FactError('NoCredentials', 'no database URL (supabase.dbUrl)', 'set SUPABASE_DB_URL to a read-only connection string and reference it as supabase.dbUrl: ${SUPABASE_DB_URL}');
  checkDatabaseUrl(url);
  return url;
}

/** Runs `work` on the run's shared connection; every failure becomes a typed FactError. */
export async function withDatabase<T>(context: CollectContext, what: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = databaseUrl(context);
  let byUrl = sessions.get(context.aws);
  if (!byUrl) sessions.set(context.aws, (byUrl = new Map()));
  let session = byUrl.get(url);
  if (!session) byUrl.set(url, (session = new PostgresSession(url)));
  try {
    return await session.use(work, context.signal);
  } catch (error) {
    if (error instanceof FactError) throw error;
    throw postgresFactError(error, what, url);
  }
}

/** The server and database a URL points at, never its password. */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname}`;
  } catch {
    return 'supabase.dbUrl (unparsable URL)';
  }
}

const SELF_SIGNED = ['SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'];

export function postgresFactError(error: unknown, what: string, url: string): FactError {
  const { code, message } = error as { code?: string; message?: string };
  const where = describeDatabase(url);
  // pg messages name users and objects, not passwords; the URL itself is never echoed.
  const reason = (message ?? String(error)).split('\n')[0]!.replaceAll(url, where);
  if (code && SELF_SIGNED.includes(code)) {
    return new FactError(
      'Unreachable',
      `the database at ${where} presented a certificate this machine does not trust (${code})`,
      "Supabase signs its database certificates with its own CA: download it (Dashboard → Database settings → SSL Configuration) and add sslrootcert=/path/to/prod-ca-2021.crt&sslmode=verify-full to supabase.dbUrl",
    );
  }
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'ECONNRESET':
    case 'EHOSTUNREACH':
      return new FactError('Unreachable', `cannot reach the database at ${where} (${code})`, 'check supabase.dbUrl and that this machine may connect (network restrictions)');
    case '28P01':
    case '28000':
      return new FactError('NoCredentials', `the database at ${where} refused the login: ${reason}`, 'check the user and password of SUPABASE_DB_URL');
    case '3D000':
      return new FactError('NotFound', `database not found at ${where}: ${reason}`, 'check the database name of supabase.dbUrl');
    case '42501':
      return new FactError('AccessDenied', `${what}: ${reason}`, `grant the database user read access for ${what}`);
    case '42P01':
    case '3F000':
      return new FactError('NotFound', `${what}: ${reason}`);
    case '55P03':
      return new FactError('Timeout', `${what}: another session holds a lock (lock timeout, ${LOCK_TIMEOUT_MS / 1000} s)`, 'run again when the migration or maintenance holding the lock is done');
    case '57014':
      return new FactError('Timeout', `${what}: the query was cancelled (statement timeout)`);
  }
  if (/timeout/i.test(reason)) return new FactError('Timeout', `${what}: ${reason} (${where})`, 'check network access to the database');
  return new FactError('Error', `${what}: ${reason}`);
}
