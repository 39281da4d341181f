import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT shaped like a Supabase API key for `role` (signature is random: nothing verifies it here). */
export function supabaseJwt(role: 'anon' | 'service_role', seed: string): string {
  const header = base64url({ alg: 'HS256', typ: 'JWT' });
  const payload = base64url({ iss: 'supabase', ref: 'abcdefghijklmnopqrst', role, iat: 1_750_000_000, exp: 2_065_000_000 });
  return `${header}.${payload}.${Buffer.from(`signature-${seed}-${role}-padding-padding`).toString('base64url')}`;
}

export const SERVICE_ROLE_KEY = supabaseJwt('service_role', 'planted');
export const ANON_KEY = supabaseJwt('anon', 'public');
export const PLANTED_DB_PASSWORD = 'Planted-Db-Passw0rd-77';

/**
 * A git work tree with: a service-role key in a tracked source file (line 3), a database URL
 * with a password in a tracked script (line 2), harmless look-alikes (the anon key, a URL
 * with a placeholder), an untracked file with a key (git does not list it), and a built
 * frontend (gitignored dist/) that embeds the service-role key.
 */
export async function plantedRepository(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'readiness-repo-'));
  const files: Record<string, string> = {
    'src/supabase.ts': `import { createClient } from '@supabase/supabase-js';\nexport const anon = createClient(url, '${ANON_KEY}');\nexport const admin = createClient(url, '${SERVICE_ROLE_KEY}');\n`,
    'scripts/backup.sh': `#!/bin/sh\npg_dump "postgresql://postgres:${PLANTED_DB_PASSWORD}@db.abcdefghijklmnopqrst.supabase.co:5432/postgres" > backup.sql\n`,
    'README.md': '# App\n\nConnect with `postgres://postgres:[YOUR-PASSWORD]@db.example.supabase.co:5432/postgres`\nor postgres://postgres:${DB_PASSWORD}@localhost/postgres\n',
    '.gitignore': 'dist/\nnotes.txt\n',
    'notes.txt': `untracked: ${SERVICE_ROLE_KEY}\n`,
    'dist/assets/index-3f2a.js': `var a="${ANON_KEY}";var s="${SERVICE_ROLE_KEY}";\n`,
    'dist/index.html': '<!doctype html><script src="/assets/index-3f2a.js"></script>\n',
  };
  for (const [file, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), content);
  }
  await run('git', ['init', '-q'], { cwd: dir });
  await run('git', ['add', 'src', 'scripts', 'README.md', '.gitignore'], { cwd: dir });
  return dir;
}
