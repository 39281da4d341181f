import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supabaseChecks } from '../../checks/supabase/index.js';
import { factOf } from '../../src/model.js';
import { deployedFunction, PROJECT_REF, projectRoutes, startManagementApi, type ManagementApiServer, type ScriptedAnswer } from '../support/management-api-server.js';
import { collectForChecks, type SupabaseRun } from '../support/supabase-collect.js';
import { AwsSession } from '../../src/collectors/aws/session.js';
import { collectors } from '../../src/collectors/index.js';
import { collectFacts } from '../../src/engine/collect.js';
import { makeConfig } from '../support/check-tester.js';

// Every Management API call the collectors make, answered 200 with something that is not the
// documented answer: never "no functions", "no secrets", "no lints" or "healthy", always MalformedResponse.
const base = `/v1/projects/${PROJECT_REF}`;
const FACT_OF_PATH: Record<string, string> = {
  '': 'supabase.project',
  '/health': 'supabase.health',
  '/functions': 'supabase.functions',
  '/config/auth': 'supabase.auth',
  '/ssl-enforcement': 'supabase.ssl-enforcement',
  '/network-restrictions': 'supabase.network-restrictions',
  '/database/backups': 'supabase.backups',
  '/advisors/security': 'supabase.advisors.security',
  '/postgrest': 'supabase.postgrest',
  '/secrets': 'supabase.secrets',
};
/** Answers whose documented body is a list: `[]` is a well-formed "none" there. */
const LISTS = new Set(['/health', '/functions', '/secrets']);

const html = '<!DOCTYPE html><html><body><h1>Please sign in</h1></body></html>';
const BODIES: Record<string, ScriptedAnswer> = {
  'empty body': { status: 200, raw: '' },
  'HTML page': { status: 200, raw: html, headers: { 'content-type': 'text/html' } },
  'empty object': { status: 200, raw: '{}' },
  null: { status: 200, raw: 'null' },
  'empty list': { status: 200, raw: '[]' },
  'truncated JSON': { status: 200, raw: '[{"name":"DATABASE_PASSWORD","value":"x"' },
};

let server: ManagementApiServer;
let baseline: SupabaseRun;
const supabaseConfig = () => ({ supabase: { projectRef: PROJECT_REF, accessToken: 'test-token', apiUrl: server.url, requiredSecrets: ['DATABASE_PASSWORD'] } });
const apiChecks = supabaseChecks.filter((check) => Object.values(check.facts).some((ref) => Object.values(FACT_OF_PATH).includes(factOf(ref as never).id)));

beforeAll(async () => {
  server = await startManagementApi(projectRoutes({ functions: [deployedFunction('appointments')] }));
  baseline = await collectForChecks(apiChecks, supabaseConfig());
});

/** The fact's outcome, collected on its own when no check reads it directly (supabase.postgrest feeds the schema collector). */
async function outcomeOf(run: SupabaseRun, factId: string) {
  if (run.outcomes.has(factId)) return run.outcomes.get(factId);
  const config = makeConfig(supabaseConfig());
  const collector = [...collectors.values()].find((c) => c.fact.id === factId)!;
  const outcomes = await collectFacts([collector.fact], { collectors, context: { config, now: new Date(), env: {}, baseDir: process.cwd(), aws: new AwsSession({ config: undefined, env: {} }) } });
  return outcomes.get(factId);
}
afterAll(() => server.stop());

describe('Management API answers without the documented body', () => {
  const cases = Object.keys(FACT_OF_PATH).flatMap((path) =>
    Object.keys(BODIES)
      .filter((body) => !(body === 'empty list' && LISTS.has(path)))
      .map((body) => [`${base}${path}`, body] as const),
  );

  it.each(cases)('%s answering 200 with %s: MalformedResponse, no pass from it', async (path, body) => {
    server.script(path, BODIES[body]!);
    const fact = FACT_OF_PATH[path.slice(base.length)]!;
    const run = await collectForChecks(apiChecks, supabaseConfig());
    if (!run.outcomes.has(fact)) server.script(path, BODIES[body]!);
    const outcome = await outcomeOf(run, fact);
    expect(outcome?.ok ? 'collected' : outcome?.failure.kind, JSON.stringify(outcome)).toBe('MalformedResponse');
    const using = apiChecks.filter((check) => Object.values(check.facts).some((ref) => factOf(ref as never).id === fact));
    const before = new Map(using.flatMap((check) => baseline.results(check).map(([resource, status]) => [`${check.meta.id} ${resource}`, status] as const)));
    const turned = using.flatMap((check) =>
      run.results(check).filter(([resource, status]) => status === 'pass' || (status === 'not_applicable' && before.get(`${check.meta.id} ${resource}`) !== 'not_applicable')).map((r) => `${check.meta.id} ${r.join(' ')}`),
    );
    expect(turned).toEqual([]);
  });
});
