import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { mergeSnapshots, type Snapshot } from '../../src/snapshot.js';
import { SnapshotError } from '../../src/errors.js';
import { accountsOf, configForAccount, factsOfAccount } from '../../src/engine/accounts.js';
import { guardAccount } from '../../src/engine/run.js';

const role = (id: string) => `arn:aws:iam::${id}:role/readiness-read-only`;
const parse = (yaml: string) => parseConfig(yaml, 'readiness.config.yaml', {});

describe('aws.accounts, aws.organization, supabase.projects in the config', () => {
  it.each([
    ['a role of another account', `aws:\n  accounts:\n    - { id: "111111111111", roleArn: "${role('222222222222')}" }\n`, /roleArn must be a role of account `id`/],
    ['an account listed twice', `aws:\n  accounts:\n    - { id: "111111111111", roleArn: "${role('111111111111')}" }\n    - { id: "111111111111", roleArn: "${role('111111111111')}" }\n`, /listed twice/],
    ['accounts and organization', `aws:\n  organization: true\n  roleName: r\n  accounts:\n    - { id: "111111111111", roleArn: "${role('111111111111')}" }\n`, /not both/],
    ['organization without roleName', `aws:\n  organization: true\n`, /needs `roleName`/],
    ['accountId with accounts', `aws:\n  accountId: "111111111111"\n  accounts:\n    - { id: "111111111111", roleArn: "${role('111111111111')}" }\n`, /drop `accountId`/],
    ['projectRef and projects', `supabase:\n  projectRef: abcdefghijklmnopqrst\n  projects: [{ ref: bcdefghijklmnopqrstu }]\n`, /one of them/],
    ['neither projectRef nor projects', `supabase:\n  accessToken: x\n`, /one of them/],
    ['a bad project ref', `supabase:\n  projects: [{ ref: abc }]\n`, /20 lowercase letters/],
  ])('%s is a config error', (_name, yaml, says) => {
    expect(() => parse(`project: x\n${yaml}`)).toThrow(ConfigError);
    expect(() => parse(`project: x\n${yaml}`)).toThrow(says);
  });

  it("each account sees the shared settings with its own id and regions; each project its own ref, dbUrl and token", () => {
    const { config } = parse(
      `project: x\naws:\n  regions: [us-east-1]\n  accounts:\n    - { id: "111111111111", roleArn: "${role('111111111111')}", regions: [eu-west-1] }\n    - { id: "222222222222", roleArn: "${role('222222222222')}" }\nsupabase:\n  accessToken: shared-token-123\n  dbUrl: postgres://a\n  projects:\n    - { ref: abcdefghijklmnopqrst, dbUrl: postgres://b }\n    - { ref: bcdefghijklmnopqrstu, accessToken: own-token-456 }\n`,
    );
    const [a, b, p, q] = accountsOf(config, new Map());
    expect([a, b, p, q].map((x) => [x!.kind, x!.id])).toEqual([['aws', '111111111111'], ['aws', '222222222222'], ['supabase', 'abcdefghijklmnopqrst'], ['supabase', 'bcdefghijklmnopqrstu']]);
    expect([configForAccount(config, a!).aws!.accountId, configForAccount(config, a!).aws!.regions]).toEqual(['111111111111', ['eu-west-1']]);
    expect(configForAccount(config, b!).aws!.regions).toEqual(['us-east-1']);
    expect(configForAccount(config, p!).supabase).toMatchObject({ projectRef: 'abcdefghijklmnopqrst', dbUrl: 'postgres://b', accessToken: 'shared-token-123' });
    expect(configForAccount(config, q!).supabase).toMatchObject({ projectRef: 'bcdefghijklmnopqrstu', dbUrl: 'postgres://a', accessToken: 'own-token-456' });
    // An account's view: its own facts under their plain ids, the shared ones, never another account's.
    const ok = (value: unknown) => ({ ok: true as const, value });
    const view = factsOfAccount(new Map([['aws.s3.buckets@111111111111', ok(['a'])], ['aws.s3.buckets@222222222222', ok(['b'])], ['attestations', ok({})]]), a!, config);
    expect([...view]).toEqual([['aws.s3.buckets', ok(['a'])], ['attestations', ok({})]]);
  });

  it("credentials of another account than the listed one make that account's AWS facts failures", () => {
    const guarded = guardAccount(new Map([['aws.identity', { ok: true, value: { account: '999999999999', arn: 'x', regions: [] } }], ['aws.s3.buckets', { ok: true, value: [] }]]), '111111111111');
    expect(guarded.get('aws.s3.buckets')).toMatchObject({ ok: false, failure: { kind: 'NoCredentials' } });
  });
});

describe('merge', () => {
  const snapshot = (aws: Snapshot['aws'], facts: Snapshot['facts']): Snapshot => ({ schemaVersion: 2, tool: { name: 'readiness', version: '0' }, collectedAt: '2026-11-30T00:00:00.000Z', project: 'x', configHash: 'h', aws, facts });
  it('joins snapshots of different accounts when their facts are keyed by account', () => {
    const merged = mergeSnapshots([
      { file: 'a.json', snapshot: snapshot({ account: null, regions: ['us-east-1'], accounts: ['111111111111'] }, { 'aws.s3.buckets@111111111111': { ok: true, value: [] } }) },
      { file: 'b.json', snapshot: snapshot({ account: null, regions: ['us-east-1'], accounts: ['222222222222'] }, { 'aws.s3.buckets@222222222222': { ok: true, value: [] } }) },
    ]);
    expect(merged.aws).toEqual({ account: null, regions: ['us-east-1'], accounts: ['111111111111', '222222222222'] });
    expect(Object.keys(merged.facts)).toEqual(['aws.s3.buckets@111111111111', 'aws.s3.buckets@222222222222']);
  });
  it('still refuses snapshots of two accounts whose facts are not keyed (one account per config)', () => {
    expect(() =>
      mergeSnapshots([
        { file: 'a.json', snapshot: snapshot({ account: '111111111111', regions: [] }, { 'aws.s3.buckets': { ok: true, value: [] } }) },
        { file: 'b.json', snapshot: snapshot({ account: '222222222222', regions: [] }, { 'aws.s3.buckets': { ok: true, value: [] } }) },
      ]),
    ).toThrow(SnapshotError);
  });
});
