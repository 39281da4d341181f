import pg from 'pg';
import { FactError, type CollectContext } from '../types.js';

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

  async use<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    this.users++;
    try {
      this.client ??= this.connect();
      const client = await this.client;
      const mine = this.turn.then(() => work(client));
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
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 10_000, statement_timeout: 20_000, application_name: 'readiness' });
    // A dropped connection must not crash the run: the query in flight fails and is reported.
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SET default_transaction_read_only = on'); // a read-only tool, also should a check's query be wrong
    } catch (error) {
      await client.end().catch(() => {});
      throw postgresFactError(error, 'connect', this.url);
    }
    return client;
  }
}

const sessions = new WeakMap<object, Map<string, PostgresSession>>();

function databaseUrl(context: CollectContext): string {
  const supabase = context.config.supabase;
  if (!supabase) throw new FactError('NotConfigured', 'no `supabase` section in the config');
  const url = supabase.dbUrl || context.env.SUPABASE_DB_URL;
  if (!url) throw new FactError('NoCredentials', 'no database URL (supabase.dbUrl)', 'set SUPABASE_DB_URL to a read-only connection string and reference it as supabase.dbUrl: ${SUPABASE_DB_URL}');
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
    return await session.use(work);
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

export function postgresFactError(error: unknown, what: string, url: string): FactError {
  const { code, message } = error as { code?: string; message?: string };
  const where = describeDatabase(url);
  // pg messages name users and objects, not passwords; the URL itself is never echoed.
  const reason = (message ?? String(error)).split('\n')[0]!.replaceAll(url, where);
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
    case '57014':
      return new FactError('Timeout', `${what}: the query was cancelled (statement timeout)`);
  }
  if (/timeout/i.test(reason)) return new FactError('Timeout', `${what}: ${reason} (${where})`, 'check network access to the database');
  return new FactError('Error', `${what}: ${reason}`);
}
