import { describe, expect, it } from 'vitest';
import { guardAccount } from '../../src/engine/run.js';
import type { FactOutcome } from '../../src/model.js';

const outcomes = (account: string) =>
  new Map<string, FactOutcome>([
    ['aws.identity', { ok: true, value: { account, arn: `arn:aws:iam::${account}:user/ci`, regions: ['us-east-1'] } }],
    ['aws.rds.clusters', { ok: true, value: [] }],
    ['supabase.secrets', { ok: true, value: { names: [] } }],
  ]);

describe('aws.accountId guard', () => {
  it('turns every AWS fact of another account into a failure naming both accounts', () => {
    const guarded = guardAccount(outcomes('111111111111'), '222222222222');
    expect(guarded.get('aws.rds.clusters')).toEqual({
      ok: false,
      failure: expect.objectContaining({ kind: 'NoCredentials', message: expect.stringContaining('111111111111') }),
    });
    expect(guarded.get('aws.identity')?.ok).toBe(true);
    expect(guarded.get('supabase.secrets')?.ok).toBe(true);
  });

  it('leaves the facts alone for the expected account, or when none is configured', () => {
    expect(guardAccount(outcomes('222222222222'), '222222222222').get('aws.rds.clusters')?.ok).toBe(true);
    expect(guardAccount(outcomes('111111111111'), undefined).get('aws.rds.clusters')?.ok).toBe(true);
  });
});
