import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import getPort from 'get-port';
import { databaseUrl } from './supabase-postgres.js';

const run = promisify(execFile);
export const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

export interface PostgresServer {
  /** postgres://postgres:…@127.0.0.1:port/postgres (trust authentication: any password). */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL 15 server in a temporary folder on a free loopback port, for what PGlite
 * (one session) cannot show: locks held by another session, cancelling a running statement,
 * psql. The server binaries refuse root: as root, they run as the `postgres` user.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const dir = await mkdtemp(join(tmpdir(), 'readiness-pg15-'));
  const root = process.getuid?.() === 0;
  if (root) {
    const { stdout: uid } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(uid.trim()), Number(gid.trim()));
  }
  const data = join(dir, 'data');
  const asPostgres = (command: string, args: string[]) =>
    root ? run('runuser', ['-u', 'postgres', '--', join(POSTGRES_BIN, command), ...args]) : run(join(POSTGRES_BIN, command), args);
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await getPort({ host: '127.0.0.1' });
  await asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  return {
    url: databaseUrl('postgres', 'planted-db-password', `127.0.0.1:${port}/postgres?sslmode=disable`),
    port,
    async stop() {
      await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
