import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import verifyJwt from '../../checks/supabase/supabase.functions.verify-jwt.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { deployedFunction, PROJECT_REF, projectRoutes, startManagementApi, type ManagementApiServer } from '../support/management-api-server.js';
import { collectForChecks } from '../support/supabase-collect.js';

// verify_jwt = true only proves a JWT signed for the project: the anon key, shipped in the browser, is one.
// So a "verified" function answers anyone unless its own code asks who the caller is.

let api: ManagementApiServer;
let project: string;

const SOURCES: Record<string, string> = {
  // Service-role client, never asks who calls: anyone with the anon key reads every patient.
  'open/index.ts': [
    "import { createClient } from 'npm:@supabase/supabase-js@2';",
    '// TODO: const { data } = await supabase.auth.getUser(token)',
    '/* supabase.auth.getClaims( was removed */',
    "const admin = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);",
    "Deno.serve(async () => Response.json(await admin.from('patients').select('*')));",
  ].join('\n'),
  // The marker only in a string: no check.
  'quoted/index.ts': "const help = 'call supabase.auth.getUser(token) first';\nDeno.serve(() => new Response(help));\n",
  'records/index.ts': [
    "import { createClient } from 'jsr:@supabase/supabase-js@2';",
    'Deno.serve(async (req: Request) => {',
    "  const token = req.headers.get('Authorization')!.replace('Bearer ', '');",
    "  const supabase = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_ANON_KEY')!);",
    '  const { data: { user } } = await supabase',
    '    .auth.getUser(token);',
    "  if (!user) return new Response('unauthorized', { status: 401 });",
    "  return new Response('ok');",
    '});',
  ].join('\n'),
  // Checks the user through a shared helper it imports.
  'reports/index.ts': "import { requireUser } from '../_shared/auth.ts';\nDeno.serve(async (req) => { await requireUser(req); return new Response('ok'); });\n",
  // Imports only the CORS helper: _shared/auth.ts checking the user elsewhere does not protect it.
  'cors-only/index.ts': "import { corsHeaders } from '../_shared/cors.ts';\nDeno.serve(() => new Response('ok', { headers: corsHeaders }));\n",
  'jose-fn/index.ts': "import { jwtVerify, createRemoteJWKSet } from 'npm:jose';\nconst jwks = createRemoteJWKSet(new URL('https://x.supabase.co/auth/v1/.well-known/jwks.json'));\nDeno.serve(async (req) => { await jwtVerify(req.headers.get('x-token')!, jwks); return new Response('ok'); });\n",
  'role-fn/index.ts': "import { decodeJwt } from 'npm:jose';\nDeno.serve((req) => {\n  const payload = decodeJwt(req.headers.get('Authorization')!.slice(7));\n  if (payload['role'] !== 'authenticated') return new Response('no', { status: 403 });\n  return new Response('ok');\n});\n",
  'health/index.ts': "Deno.serve(() => new Response('ok'));\n",
  '_shared/auth.ts': "import { createClient } from 'jsr:@supabase/supabase-js@2';\nexport async function requireUser(req: Request) {\n  const { data } = await createClient('u', 'k').auth.getClaims(req.headers.get('Authorization')!.slice(7));\n  if (!data) throw new Error('unauthorized');\n}\n",
  '_shared/cors.ts': "export const corsHeaders = { 'Access-Control-Allow-Origin': '*' };\n",
};

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'readiness-caller-check-'));
  for (const [path, text] of Object.entries(SOURCES)) {
    const file = join(project, 'supabase/functions', path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  const slugs = ['open', 'quoted', 'records', 'reports', 'cors-only', 'jose-fn', 'role-fn', 'health', 'ghost'];
  api = await startManagementApi(projectRoutes({ functions: [...slugs.map((slug) => deployedFunction(slug)), deployedFunction('legacy', { verify_jwt: false })] }));
});
afterAll(async () => {
  await api.stop();
  await rm(project, { recursive: true, force: true });
});

const config = (over: Partial<NonNullable<ConfigInput['supabase']>> = {}): Partial<ConfigInput> => ({
  supabase: { projectRef: PROJECT_REF, accessToken: 't', apiUrl: api.url, functionsDir: 'supabase/functions', publicFunctions: ['health'], ...over },
});

describe('supabase.functions.verify-jwt reads whether a verified function checks its caller', () => {
  it('a function whose code never asks for the user is not "verified": the anon key is a valid JWT', async () => {
    const run = await collectForChecks([verifyJwt], config(), { baseDir: project });
    expect(run.results(verifyJwt).filter(([slug]) => slug === 'open')).toEqual([['open', 'unverified', 'anon-key-accepted']]);
  });

  it('each deployed function by what its code (and the shared files it imports) does', async () => {
    const run = await collectForChecks([verifyJwt], config(), { baseDir: project });
    expect(run.results(verifyJwt)).toEqual([
      ['open', 'unverified', 'anon-key-accepted'],
      ['quoted', 'unverified', 'anon-key-accepted'],
      ['records', 'pass', 'verified'],
      ['reports', 'pass', 'verified'],
      ['cors-only', 'unverified', 'anon-key-accepted'],
      ['jose-fn', 'pass', 'verified'],
      ['role-fn', 'pass', 'verified'],
      ['health', 'pass', 'public-allowed'],
      ['ghost', 'unverified', 'caller-check-unknown'],
      ['legacy', 'fail', 'not-verified'],
    ]);
    const local = run.outcomes.get('supabase.functions.local');
    const byName = new Map((local?.ok ? (local.value as { functions: { name: string; callerCheck?: unknown }[] }).functions : []).map((fn) => [fn.name, fn.callerCheck]));
    expect(byName.get('open')).toBeNull();
    expect(byName.get('records')).toEqual({ marker: 'auth.getUser()', file: 'records/index.ts' });
    expect(byName.get('reports')).toEqual({ marker: 'auth.getClaims()', file: '_shared/auth.ts' });
  });

  it('no functionsDir in the config: whether the code checks the user is unknown, never "verified"', async () => {
    const run = await collectForChecks([verifyJwt], config({ functionsDir: undefined }), { baseDir: project });
    const statuses = new Set(run.results(verifyJwt).filter(([slug]) => slug !== 'health' && slug !== 'legacy').map(([, status, code]) => `${status} ${code}`));
    expect([...statuses]).toEqual(['unverified caller-check-unknown']);
  });
});
