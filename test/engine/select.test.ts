import { describe, expect, it } from 'vitest';
import { planFacts, selectChecks } from '../../src/engine/select.js';
import { UsageError } from '../../src/errors.js';
import { checkOnFact, checkSaying, namesFact, pass } from '../support/engine-fakes.js';

const checks = [
  checkSaying('aws.rds.deletion-protection', 'critical', [pass()]),
  checkSaying('aws.rds.backup-retention', 'high', [pass()]),
  checkSaying('aws.rdsproxy.tls', 'high', [pass()]),
  checkSaying('aws.s3.encryption', 'critical', [pass()]),
  checkSaying('supabase.secrets.required', 'critical', [pass()], { section: 'supabase' }),
];
const ids = (selection: Parameters<typeof selectChecks>[1]) => selectChecks(checks, selection).map((c) => c.meta.id);

describe('selectChecks', () => {
  it('selects everything by default', () => expect(ids({})).toHaveLength(5));
  it('--only takes ids and dotted prefixes (aws.rds is not aws.rdsproxy)', () => {
    expect(ids({ only: ['aws.rds'] })).toEqual(['aws.rds.deletion-protection', 'aws.rds.backup-retention']);
    expect(ids({ only: ['aws.s3.encryption', 'supabase'] })).toEqual(['aws.s3.encryption', 'supabase.secrets.required']);
  });
  it('--skip removes ids and prefixes', () => expect(ids({ skip: ['aws.rds', 'aws.s3.encryption'] })).toEqual(['aws.rdsproxy.tls', 'supabase.secrets.required']));
  it('--section keeps whole sections', () => expect(ids({ sections: ['supabase'] })).toEqual(['supabase.secrets.required']));
  it.each([
    [{ only: ['aws.rd'] }, 'aws.rd'],
    [{ skip: ['nope'] }, 'nope'],
    [{ sections: ['storage'] }, 'storage'],
  ])('an unknown id, prefix or section is a usage error (%j)', (selection, name) => {
    expect(() => selectChecks(checks, selection)).toThrow(UsageError);
    expect(() => selectChecks(checks, selection)).toThrow(name);
  });
});

describe('planFacts', () => {
  it('lists each fact once', () => {
    const a = namesFact('test.a');
    const b = namesFact('test.b');
    expect(planFacts([checkOnFact('aws.x', a), checkOnFact('aws.y', a), checkOnFact('aws.z', b)]).map((f) => f.id)).toEqual(['test.a', 'test.b']);
  });
});
