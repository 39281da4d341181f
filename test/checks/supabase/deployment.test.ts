import { describe, expect, it } from 'vitest';
import functionsDeployed from '../../../checks/supabase/supabase.functions.deployed.js';
import verifyJwt from '../../../checks/supabase/supabase.functions.verify-jwt.js';
import migrationsApplied from '../../../checks/supabase/supabase.migrations.applied.js';
import publicBuckets from '../../../checks/supabase/supabase.storage.public-buckets.js';
import { runCase, type CheckCase } from '../../support/check-tester.js';

const REF = 'abcdefghijklmnopqrst';
const local = (...names: [string, string][]) => ({ dir: 'supabase/functions', shallow: false, git: { branch: 'main', productionBranch: 'main' }, functions: names.map(([name, lastModified]) => ({ name, lastModified, changeSource: 'git', shared: [] })) });
const onBranch = (git: Record<string, unknown> | null | undefined, ...names: [string, string][]) => ({ ...local(...names), git });
const uncommitted = (...names: [string, string][]) => ({ ...local(...names), functions: local(...names).functions.map((fn) => ({ ...fn, changeSource: 'mtime' })) });
const shallow = (...names: [string, string][]) => ({ ...local(...names), shallow: true });
const deployed = (slug: string, over: Record<string, unknown> = {}) => ({ slug, status: 'ACTIVE', version: 4, updatedAt: '2025-10-10T00:00:00.000Z', verifyJwt: true, ...over });

describe('supabase.functions.deployed', () => {
  const cases: CheckCase[] = [
    { name: 'deployed after the last change passes', facts: { local: local(['api', '2025-10-09T00:00:00Z']), deployed: [deployed('api')] }, expected: [['api', 'pass', 'deployed']] },
    { name: 'not deployed fails', facts: { local: local(['api', '2025-10-09T00:00:00Z'], ['health', '2025-10-09T00:00:00Z']), deployed: [deployed('api')] }, expected: [['api', 'pass', 'deployed'], ['health', 'fail', 'not-deployed']] },
    { name: 'changed after deployment is stale', facts: { local: local(['api', '2025-10-11T00:00:00Z']), deployed: [deployed('api')] }, expected: [['api', 'fail', 'stale']] },
    { name: 'shallow history: a function that only looks newer is unverified', facts: { local: shallow(['api', '2025-10-11T00:00:00Z']), deployed: [deployed('api')] }, expected: [['api', 'unverified', 'shallow-history']] },
    { name: 'shallow history: a boundary date older than the deployment still passes', facts: { local: shallow(['api', '2025-10-09T00:00:00Z']), deployed: [deployed('api')] }, expected: [['api', 'pass', 'deployed']] },
    { name: 'deployed but not ACTIVE fails', facts: { local: local(['api', '2025-10-09T00:00:00Z']), deployed: [deployed('api', { status: 'THROTTLED' })] }, expected: [['api', 'fail', 'inactive']] },
    { name: 'no function folder is not applicable', facts: { local: local(), deployed: [] }, expected: [['supabase/functions', 'not_applicable', 'no-functions']] },
    { name: 'uncommitted changes older than the deployment are unverified', facts: { local: uncommitted(['api', '2025-10-09T00:00:00Z']), deployed: [deployed('api')] }, expected: [['api', 'unverified', 'uncommitted']] },
    { name: 'uncommitted changes after the deployment are stale', facts: { local: uncommitted(['api', '2025-10-11T00:00:00Z']), deployed: [deployed('api')] }, expected: [['api', 'fail', 'stale']] },
    { name: 'outside a git repository, file times older than the deployment pass', facts: { local: { ...uncommitted(['api', '2025-10-09T00:00:00Z']), git: null }, deployed: [deployed('api')] }, expected: [['api', 'pass', 'deployed']] },
    { name: 'a snapshot without the branches is unverified, never pass', facts: { local: onBranch(undefined, ['api', '2025-10-09T00:00:00Z']), deployed: [deployed('api')] }, expected: [['api', 'unverified', 'branch-not-collected']] },
    { name: 'a snapshot without the branches with file times is unverified, never pass', facts: { local: { ...uncommitted(['api', '2025-10-09T00:00:00Z']), git: undefined }, deployed: [deployed('api')] }, expected: [['api', 'unverified', 'uncommitted']] },
    { name: 'a detached HEAD is unverified', facts: { local: onBranch({ branch: null, productionBranch: 'main' }, ['api', '2025-10-09T00:00:00Z']), deployed: [deployed('api')] }, expected: [['api', 'unverified', 'detached-head']] },
    { name: 'an unknown production branch is unverified', facts: { local: onBranch({ branch: 'main', productionBranch: null }, ['api', '2025-10-09T00:00:00Z']), deployed: [deployed('api')] }, expected: [['api', 'unverified', 'production-branch-unknown']] },
    { name: 'another branch than production is unverified', facts: { local: onBranch({ branch: 'feature', productionBranch: 'main' }, ['api', '2025-10-09T00:00:00Z']), deployed: [deployed('api')] }, expected: [['api', 'unverified', 'other-branch']] },
    { name: 'another branch still shows a change after the deployment as stale', facts: { local: onBranch({ branch: 'feature', productionBranch: 'main' }, ['api', '2025-10-11T00:00:00Z']), deployed: [deployed('api')] }, expected: [['api', 'fail', 'stale']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(functionsDeployed, { config: { supabase: { projectRef: REF } }, ...c })).toEqual(c.expected));
});

describe('supabase.functions.verify-jwt', () => {
  const checked = (...fns: [string, { marker: string; file: string } | null][]) => ({ ok: true, value: { ...local(), functions: fns.map(([name, callerCheck]) => ({ name, lastModified: '2025-10-09T00:00:00Z', changeSource: 'git', shared: [], callerCheck })) } });
  const cases: CheckCase[] = [
    { name: 'verifying functions whose code checks the user pass', facts: { functions: [deployed('api')], local: checked(['api', { marker: 'auth.getUser()', file: 'api/index.ts' }]) }, expected: [['api', 'pass', 'verified']] },
    { name: 'verify_jwt alone is not verified: the anon key is a valid JWT', facts: { functions: [deployed('api')], local: checked(['api', null]) }, expected: [['api', 'unverified', 'anon-key-accepted']] },
    { name: 'a verified function without a user check listed as public passes', facts: { functions: [deployed('health')], local: checked(['health', null]) }, config: { supabase: { projectRef: REF, publicFunctions: ['health'] } }, expected: [['health', 'pass', 'public-allowed']] },
    { name: 'a snapshot without the caller check is unverified, never pass', facts: { functions: [deployed('api')], local: { ok: true, value: local(['api', '2025-10-09T00:00:00Z']) } }, expected: [['api', 'unverified', 'caller-check-unknown']] },
    { name: 'no local folder for the function is unverified', facts: { functions: [deployed('api')], local: checked(['other', null]) }, expected: [['api', 'unverified', 'caller-check-unknown']] },
    { name: 'function folders not read (no functionsDir) is unverified', facts: { functions: [deployed('api')], local: { ok: false, failure: { kind: 'NotConfigured', message: 'supabase.functionsDir is not set' } } }, expected: [['api', 'unverified', 'caller-check-unknown']] },
    { name: 'function folders not collected at all is unverified', facts: { functions: [deployed('api')] }, expected: [['api', 'unverified', 'caller-check-unknown']] },
    { name: 'public function allowed', facts: { functions: [deployed('health', { verifyJwt: false })] }, config: { supabase: { projectRef: REF, publicFunctions: ['health'] } }, expected: [['health', 'pass', 'public-allowed']] },
    { name: 'unlisted function without JWT fails', facts: { functions: [deployed('billing', { verifyJwt: false })] }, config: { supabase: { projectRef: REF, publicFunctions: ['health'] } }, expected: [['billing', 'fail', 'not-verified']] },
    { name: 'unknown setting is unverified', facts: { functions: [deployed('api', { verifyJwt: null })] }, expected: [['api', 'unverified', 'unknown']] },
    { name: 'removed functions are ignored', facts: { functions: [deployed('old', { status: 'REMOVED', verifyJwt: false })] }, expected: [['functions', 'not_applicable', 'no-functions']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(verifyJwt, { config: { supabase: { projectRef: REF } }, ...c })).toEqual(c.expected));
});

describe('supabase.migrations.applied', () => {
  // Each file's hash is `sql-<version>` unless edited; the database recorded `sql-<version>` too.
  const localMigrations = (...versions: string[]) => ({ dir: 'supabase/migrations', versions, ignored: [], files: versions.map((version) => ({ name: `${version}_step.sql`, version, hash: `sql-${version}` })) });
  const remote = (...versions: string[]) => ({ tableExists: true, versions, hashes: Object.fromEntries(versions.map((version) => [version, `sql-${version}`])) });
  const edited = (local: ReturnType<typeof localMigrations>, version: string) => ({ ...local, files: local.files.map((file) => (file.version === version ? { ...file, hash: 'edited' } : file)) });
  const cases: CheckCase[] = [
    { name: 'all applied passes', facts: { local: localMigrations('1', '2'), remote: remote('1', '2') }, expected: [[REF, 'pass', 'applied']] },
    { name: 'an applied file edited afterwards fails', facts: { local: edited(localMigrations('1', '2'), '1'), remote: remote('1', '2') }, expected: [[REF, 'fail', 'edited-after-apply']] },
    { name: 'an edited file that is not applied yet is only pending', facts: { local: edited(localMigrations('1', '2'), '2'), remote: remote('1') }, expected: [[REF, 'fail', 'pending']] },
    {
      name: 'a version whose statements were not recorded is unverified, never pass',
      facts: { local: localMigrations('1', '2'), remote: { ...remote('1', '2'), hashes: { 1: 'sql-1', 2: null } } },
      expected: [[REF, 'unverified', 'content-unrecorded']],
    },
    {
      name: 'a version whose statements were not recorded does not hide an edited one',
      facts: { local: edited(localMigrations('1', '2'), '1'), remote: { ...remote('1', '2'), hashes: { 1: 'sql-1', 2: null } } },
      expected: [[REF, 'fail', 'edited-after-apply']],
    },
    { name: 'a snapshot without the remote hashes is unverified, never pass', facts: { local: localMigrations('1', '2'), remote: { tableExists: true, versions: ['1', '2'] } }, expected: [[REF, 'unverified', 'content-not-collected']] },
    { name: 'a snapshot without the local hashes is unverified, never pass', facts: { local: { dir: 'supabase/migrations', versions: ['1', '2'], ignored: [] }, remote: remote('1', '2') }, expected: [[REF, 'unverified', 'content-not-collected']] },
    { name: 'a pending file fails', facts: { local: localMigrations('1', '2', '3'), remote: remote('1', '2') }, expected: [[REF, 'fail', 'pending']] },
    { name: 'a remote-only version fails', facts: { local: localMigrations('1'), remote: remote('1', '9') }, expected: [[REF, 'fail', 'remote-only']] },
    { name: 'both directions fail', facts: { local: localMigrations('1', '3'), remote: remote('1', '9') }, expected: [[REF, 'fail', 'out-of-sync']] },
    { name: 'no history table fails', facts: { local: localMigrations('1'), remote: { tableExists: false, versions: [] } }, expected: [[REF, 'fail', 'no-history']] },
    { name: 'nothing anywhere is not applicable', facts: { local: localMigrations(), remote: remote() }, expected: [[REF, 'not_applicable', 'no-migrations']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(migrationsApplied, { config: { supabase: { projectRef: REF } }, ...c })).toEqual(c.expected));

  it('evidence says "143/143" and names what is missing', () => {
    const versions = Array.from({ length: 143 }, (_, i) => String(20250000000000 + i));
    const [finding] = migrationsApplied.evaluate(
      { local: localMigrations(...versions, '20990101000000'), remote: remote(...versions) } as never,
      { config: { supabase: { projectRef: REF } } as never, now: new Date() },
    );
    expect(finding?.evidence).toMatchObject({ applied: '143/144', missing: ['20990101000000'] });
  });

  it('names the edited files', () => {
    const [finding] = migrationsApplied.evaluate(
      { local: edited(localMigrations('20250101000000', '20250102000000'), '20250101000000'), remote: remote('20250101000000', '20250102000000') } as never,
      { config: { supabase: { projectRef: REF } } as never, now: new Date() },
    );
    expect(finding?.args).toMatchObject({ edited: '20250101000000_step.sql' });
    expect(finding?.evidence).toMatchObject({ editedAfterApply: ['20250101000000_step.sql'] });
  });
});

describe('supabase.storage.public-buckets', () => {
  const bucket = (id: string, isPublic: boolean, anonReadPolicies: string[] = [], authenticatedReadPolicies: { name: string; verdict: string }[] = []) => ({ id, name: id, public: isPublic, anonReadPolicies, authenticatedReadPolicies });
  const objects = { anonSelect: true, rlsEnabled: true, anonBypassesRls: false, authenticatedSelect: true, authenticatedBypassesRls: false };
  const signUps = (disableSignup: boolean | null) => ({ ok: true, value: { disableSignup } });
  const everyUser = [{ name: 'staff read', verdict: 'every-user' }];
  const storage = (over: Record<string, unknown>) => ({ storage: { rowsHiddenByRls: false, objects, ...over } });
  const cases: CheckCase[] = [
    { name: 'private buckets pass', facts: { storage: { buckets: [bucket('documents', false)], rowsHiddenByRls: false, objects } }, expected: [['documents', 'pass', 'private']] },
    { name: 'a private bucket anon reads through a policy on storage.objects fails', facts: storage({ buckets: [bucket('scans', false, ['anon reads scans'])] }), expected: [['scans', 'fail', 'anon-readable']] },
    {
      name: 'a private bucket anon reads is allowed when listed in supabase.publicBuckets',
      facts: storage({ buckets: [bucket('logos', false, ['logos_read'])] }),
      config: { supabase: { projectRef: REF, publicBuckets: ['logos'] } },
      expected: [['logos', 'pass', 'anon-readable-allowed']],
    },
    { name: 'RLS off on storage.objects fails every private bucket', facts: storage({ buckets: [bucket('scans', false)], objects: { ...objects, rlsEnabled: false } }), expected: [['scans', 'fail', 'rls-off']] },
    { name: 'anon bypassing RLS fails every private bucket', facts: storage({ buckets: [bucket('scans', false)], objects: { ...objects, anonBypassesRls: true } }), expected: [['scans', 'fail', 'rls-off']] },
    { name: 'anon and authenticated without SELECT on storage.objects read nothing', facts: storage({ buckets: [bucket('scans', false, ['open'], everyUser)], objects: { ...objects, anonSelect: false, authenticatedSelect: false, rlsEnabled: false } }), expected: [['scans', 'pass', 'private']] },
    { name: 'anon without SELECT, RLS off and sign-ups open: anyone who signs up reads every file', facts: { ...storage({ buckets: [bucket('scans', false)], objects: { ...objects, anonSelect: false, rlsEnabled: false } }), auth: signUps(false) }, expected: [['scans', 'fail', 'signed-up-rls-off']] },
    { name: 'a private bucket every signed-in user reads fails when sign-ups are open', facts: { ...storage({ buckets: [bucket('scans', false, [], everyUser)] }), auth: signUps(false) }, expected: [['scans', 'fail', 'signed-up-readable']] },
    { name: 'a private bucket every signed-in user reads passes when sign-ups are disabled (invite-only)', facts: { ...storage({ buckets: [bucket('scans', false, [], everyUser)] }), auth: signUps(true) }, expected: [['scans', 'pass', 'invite-only']] },
    { name: 'sign-ups unknown (disable_signup null) is unverified', facts: { ...storage({ buckets: [bucket('scans', false, [], everyUser)] }), auth: signUps(null) }, expected: [['scans', 'unverified', 'sign-ups-unknown']] },
    { name: 'the Auth config not collected is unverified', facts: { ...storage({ buckets: [bucket('scans', false, [], everyUser)] }), auth: { ok: false, failure: { kind: 'NotConfigured', message: 'no access token' } } }, expected: [['scans', 'unverified', 'sign-ups-unknown']] },
    { name: 'a snapshot without disable_signup is unverified', facts: { ...storage({ buckets: [bucket('scans', false, [], everyUser)] }), auth: { ok: true, value: {} } }, expected: [['scans', 'unverified', 'sign-ups-unknown']] },
    { name: 'owners only (per-user) passes', facts: { ...storage({ buckets: [bucket('scans', false, [], [{ name: 'own files', verdict: 'per-user' }])] }), auth: signUps(false) }, expected: [['scans', 'pass', 'private']] },
    { name: 'a caller-gated policy is unverified', facts: { ...storage({ buckets: [bucket('scans', false, [], [{ name: 'staff', verdict: 'caller-gated' }])] }), auth: signUps(false) }, expected: [['scans', 'unverified', 'signed-in-caller-gated']] },
    {
      name: 'a private bucket every signed-in user reads is allowed when listed in supabase.publicBuckets',
      facts: { ...storage({ buckets: [bucket('logos', false, [], everyUser)] }), auth: signUps(false) },
      config: { supabase: { projectRef: REF, publicBuckets: ['logos'] } },
      expected: [['logos', 'pass', 'signed-up-readable-allowed']],
    },
    {
      name: 'a snapshot without the signed-in policies is unverified for private buckets, never pass',
      facts: { storage: { buckets: [{ id: 'scans', name: 'scans', public: false, anonReadPolicies: [] }], rowsHiddenByRls: false, objects: { anonSelect: true, rlsEnabled: true, anonBypassesRls: false } }, auth: signUps(false) },
      expected: [['scans', 'unverified', 'signed-in-policies-not-read']],
    },
    { name: 'no storage.objects table: nothing to read', facts: storage({ buckets: [bucket('scans', false)], objects: null }), expected: [['scans', 'pass', 'private']] },
    {
      name: 'a snapshot without the storage.objects policies is unverified for private buckets, never pass',
      facts: { storage: { buckets: [{ id: 'scans', name: 'scans', public: false }, { id: 'records', name: 'records', public: true }], rowsHiddenByRls: false } },
      expected: [['scans', 'unverified', 'policies-not-read'], ['records', 'fail', 'public']],
    },
    { name: 'public bucket fails', facts: { storage: { buckets: [bucket('records', true)], rowsHiddenByRls: false } }, expected: [['records', 'fail', 'public']] },
    { name: 'allow-listed public bucket passes', facts: { storage: { buckets: [bucket('logos', true)], rowsHiddenByRls: false } }, config: { supabase: { projectRef: REF, publicBuckets: ['logos'] } }, expected: [['logos', 'pass', 'public-allowed']] },
    // Policies and URLs go by the bucket's id; a name set apart from it (by SQL) must not borrow an allowed bucket's name.
    { name: 'the allow-list names bucket ids: a bucket named like an allowed one is not allowed', facts: { storage: { buckets: [{ ...bucket('patient-docs', true), name: 'logos' }], rowsHiddenByRls: false } }, config: { supabase: { projectRef: REF, publicBuckets: ['logos'] } }, expected: [['patient-docs', 'fail', 'public']] },
    { name: 'no bucket passes', facts: { storage: { buckets: [], rowsHiddenByRls: false } }, expected: [['storage', 'pass', 'no-buckets']] },
    { name: 'no bucket seen through RLS is unverified, not "no bucket"', facts: { storage: { buckets: [], rowsHiddenByRls: true } }, expected: [['storage.buckets', 'unverified', 'hidden-by-rls']] },
    { name: 'buckets seen through RLS are assessed, and what RLS hides is unverified', facts: { storage: { buckets: [bucket('records', true)], rowsHiddenByRls: true } }, expected: [['records', 'fail', 'public'], ['storage.buckets', 'unverified', 'hidden-by-rls']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(publicBuckets, { config: { supabase: { projectRef: REF } }, ...c })).toEqual(c.expected));
});
