import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import secretsRequired from '../../../checks/supabase/supabase.secrets.required.js';
import { PROJECT_REF, projectRoutes, startManagementApi, type ManagementApiServer, type ProjectState } from '../../support/management-api-server.js';
import { runCase, type CheckCase } from '../../support/check-tester.js';
import { collectForChecks } from '../../support/supabase-collect.js';

// GET /v1/projects/{ref}/secrets answers each secret's value as its SHA-256 hex digest (`supabase secrets list` prints it as DIGEST).
const digest = (value: string) => createHash('sha256').update(value).digest('hex');
const REAL_VALUE = 'Xk3#pQ9-a-real-database-password';

const servers: ManagementApiServer[] = [];
afterAll(() => Promise.all(servers.map((server) => server.stop())));

/** Collects supabase.secrets from the stand-in API through the real collector, and evaluates the check on it. */
async function run(state: ProjectState, requiredSecrets = ['DATABASE_PASSWORD'], secretsAnswer?: unknown) {
  const server = await startManagementApi(projectRoutes(state));
  servers.push(server);
  if (secretsAnswer) server.script(`/v1/projects/${PROJECT_REF}/secrets`, { status: 200, body: secretsAnswer });
  const collected = await collectForChecks([secretsRequired], { supabase: { projectRef: PROJECT_REF, accessToken: 'test-token', apiUrl: server.url, requiredSecrets } });
  return { results: collected.results(secretsRequired), fact: JSON.stringify(collected.outcomes.get('supabase.secrets')) };
}

describe('supabase.secrets.required judges the value, not only the name (collector + check against the API stand-in)', () => {
  it('a required secret set to the empty string fails', async () => {
    const { results } = await run({ secretValues: { DATABASE_PASSWORD: digest('') } });
    expect(results).toEqual([['DATABASE_PASSWORD', 'fail', 'empty']]);
  });

  it.each(['changeme', 'TODO', 'xxx', 'placeholder', 'your-key-here', 'CHANGEME', 'Placeholder'])('a required secret set to the placeholder %j fails', async (word) => {
    const { results } = await run({ secretValues: { DATABASE_PASSWORD: digest(word) } });
    expect(results).toEqual([['DATABASE_PASSWORD', 'fail', 'placeholder']]);
  });

  it('a digest answered in upper-case hex is judged the same', async () => {
    const { results } = await run({ secretValues: { DATABASE_PASSWORD: digest('').toUpperCase() } });
    expect(results).toEqual([['DATABASE_PASSWORD', 'fail', 'empty']]);
  });

  it('a real value passes, and neither digest nor value reaches the fact', async () => {
    const { results, fact } = await run({ secrets: ['DATABASE_PASSWORD', 'DATABASE_NAME'], secretValues: { DATABASE_PASSWORD: digest(REAL_VALUE), DATABASE_NAME: digest('') } }, ['DATABASE_PASSWORD', 'DATABASE_NAME']);
    expect(results).toEqual([['DATABASE_PASSWORD', 'pass', 'present'], ['DATABASE_NAME', 'fail', 'empty']]);
    expect(fact).not.toContain(digest(REAL_VALUE));
    expect(fact).not.toContain(digest(''));
    expect(fact.toLowerCase()).not.toMatch(/[0-9a-f]{64}/);
  });

  it('a secret answered without a value is unverified, not passed on its name', async () => {
    const { results } = await run({}, ['DATABASE_PASSWORD'], [{ name: 'DATABASE_PASSWORD', updated_at: '2025-10-01T00:00:00Z' }]);
    expect(results).toEqual([['DATABASE_PASSWORD', 'unverified', 'value-unknown']]);
  });

  it('a lower-case secret does not satisfy the upper-case name (environment variables are case-sensitive)', async () => {
    const { results } = await run({ secrets: ['database_password'], secretValues: { database_password: digest(REAL_VALUE) } });
    expect(results).toEqual([['DATABASE_PASSWORD', 'fail', 'missing']]);
  });
});

describe('supabase.secrets.required on facts', () => {
  const config = { supabase: { projectRef: PROJECT_REF, requiredSecrets: ['DATABASE_PASSWORD'] } };
  const cases: CheckCase[] = [
    { name: 'a snapshot from before values were judged is unverified, not passed on the name', facts: { secrets: { names: ['DATABASE_PASSWORD'] } }, expected: [['DATABASE_PASSWORD', 'unverified', 'value-not-collected']] },
    { name: 'a present secret the collector did not judge is unverified', facts: { secrets: { names: ['DATABASE_PASSWORD'], values: [] } }, expected: [['DATABASE_PASSWORD', 'unverified', 'value-unknown']] },
    { name: 'a missing secret fails, whether values were judged or not', facts: { secrets: { names: [] } }, expected: [['DATABASE_PASSWORD', 'fail', 'missing']] },
    {
      name: 'a placeholder fails even when another entry of the same name looks fine',
      facts: { secrets: { names: ['DATABASE_PASSWORD'], values: [{ name: 'DATABASE_PASSWORD', kind: 'other' }, { name: 'DATABASE_PASSWORD', kind: 'placeholder' }] } },
      expected: [['DATABASE_PASSWORD', 'fail', 'placeholder']],
    },
    { name: 'a judged real value passes', facts: { secrets: { names: ['DATABASE_PASSWORD'], values: [{ name: 'DATABASE_PASSWORD', kind: 'other' }] } }, expected: [['DATABASE_PASSWORD', 'pass', 'present']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(secretsRequired, { config, ...c })).toEqual(c.expected));
});
