import { describe, expect, it } from 'vitest';
import accessLogging from '../../../checks/aws/aws.s3.access-logging.js';
import lifecycle from '../../../checks/aws/aws.s3.lifecycle.js';
import publicAccessBlock from '../../../checks/aws/aws.s3.public-access-block.js';
import tlsOnly from '../../../checks/aws/aws.s3.tls-only.js';
import versioning from '../../../checks/aws/aws.s3.versioning.js';
import { makeConfig, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';
import { parsePolicy } from '../../../src/collectors/aws/policy.js';
import { shellQuote } from '../../../src/shell.js';
import fc from 'fast-check';

const B = 'phi-files';
const buckets = [{ name: B, region: 'us-east-1', exists: true }];
const allOn = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
const account = (settings: typeof allOn | null) => ({ ok: true, value: { account: '123456789012', settings } });
const accountDenied = { ok: false, failure: { kind: 'AccessDenied', message: 'AccessDenied calling s3:GetAccountPublicAccessBlock' } };

describe('aws.s3.public-access-block', () => {
  const cases: CheckCase[] = [
    { name: 'all four on at bucket level passes', facts: { buckets, blocks: [{ bucket: B, settings: allOn }], account: account(null) }, expected: [[B, 'pass', 'blocked']] },
    { name: 'none at bucket level, all four at account level passes', facts: { buckets, blocks: [{ bucket: B, settings: null }], account: account(allOn) }, expected: [[B, 'pass', 'blocked']] },
    { name: 'bucket and account together cover all four', facts: { buckets, blocks: [{ bucket: B, settings: { ...allOn, restrictPublicBuckets: false } }], account: account({ ...allOn, blockPublicAcls: false }) }, expected: [[B, 'pass', 'blocked']] },
    { name: 'one setting off at both levels fails', facts: { buckets, blocks: [{ bucket: B, settings: { ...allOn, blockPublicPolicy: false } }], account: account(null) }, expected: [[B, 'fail', 'not-blocked']] },
    { name: 'bucket incomplete and account unreadable is unverified', facts: { buckets, blocks: [{ bucket: B, settings: null }], account: accountDenied }, expected: [[B, 'unverified', 'account-unverified']] },
    { name: 'bucket complete passes even when the account is unreadable', facts: { buckets, blocks: [{ bucket: B, settings: allOn }], account: accountDenied }, expected: [[B, 'pass', 'blocked']] },
    { name: 'missing bucket fails', facts: { buckets: [{ name: B, region: null, exists: false }], blocks: [], account: account(null) }, expected: [[B, 'fail', 'bucket-missing']] },
    { name: 'bucket not read is unverified', facts: { buckets, blocks: [], account: account(allOn) }, expected: [[B, 'unverified', 'bucket-not-read']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(publicAccessBlock, c)).toEqual(c.expected));
});

describe('aws.s3.tls-only', () => {
  const statement = (over: Record<string, unknown> = {}) => ({
    sid: 'DenyInsecure', effect: 'Deny', principals: ['*'], actions: ['s3:*'], notActions: [],
    resources: [`arn:aws:s3:::${B}`, `arn:aws:s3:::${B}/*`], conditions: { Bool: { 'aws:SecureTransport': ['false'] } }, ...over,
  });
  const policy = (...statements: unknown[]) => ({ buckets, policies: [{ bucket: B, statements }] });
  const cases: CheckCase[] = [
    { name: 'Deny s3:* on bucket and objects passes', facts: policy(statement()), expected: [[B, 'pass', 'enforced']] },
    { name: 'wildcard resource covering both passes', facts: policy(statement({ resources: [`arn:aws:s3:::${B}*`] })), expected: [[B, 'pass', 'enforced']] },
    { name: 'BoolIfExists is accepted', facts: policy(statement({ conditions: { BoolIfExists: { 'aws:SecureTransport': ['false'] } } })), expected: [[B, 'pass', 'enforced']] },
    { name: 'no policy fails', facts: { buckets, policies: [{ bucket: B, statements: null }] }, expected: [[B, 'fail', 'no-policy']] },
    { name: 'policy without a TLS deny fails', facts: policy(statement({ effect: 'Allow', conditions: {} })), expected: [[B, 'fail', 'no-tls-deny']] },
    { name: 'deny that covers only the objects fails', facts: policy(statement({ resources: [`arn:aws:s3:::${B}/*`] })), expected: [[B, 'fail', 'partial']] },
    { name: 'deny of GetObject only fails', facts: policy(statement({ actions: ['s3:GetObject'] })), expected: [[B, 'fail', 'partial']] },
    { name: 'deny for one principal only is not a TLS deny', facts: policy(statement({ principals: ['arn:aws:iam::1:role/app'] })), expected: [[B, 'fail', 'no-tls-deny']] },
    { name: 'SecureTransport=true is not a deny of plain HTTP', facts: policy(statement({ conditions: { Bool: { 'aws:SecureTransport': ['true'] } } })), expected: [[B, 'fail', 'no-tls-deny']] },
    { name: 'phi: false buckets are not assessed', facts: { buckets, policies: [{ bucket: B, statements: null }], unlisted: { ok: true, value: [] } }, config: { aws: { s3: { buckets: [{ name: B, phi: false }] } } }, expected: [[B, 'not_applicable', 'not-phi']] },
    { name: 'bucket not read is unverified', facts: { buckets, policies: [] }, expected: [[B, 'unverified', 'bucket-not-read']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(tlsOnly, c)).toEqual(c.expected));

  it('judges the buckets the list leaves out as PHI buckets, and says when they could not be read', () => {
    const config = { aws: { s3: { buckets: [{ name: B, phi: false }] } } };
    const unlisted = { ok: true, value: [{ bucket: 'left-out', region: 'us-east-1', rules: [], settings: null, statements: null }] };
    expect(runCase(tlsOnly, { name: 'unlisted', facts: { buckets, policies: [{ bucket: B, statements: null }], unlisted }, config, expected: [] })).toEqual([[B, 'not_applicable', 'not-phi'], ['left-out', 'fail', 'no-policy']]);
    const unread = { ok: false, failure: { kind: 'AccessDenied', message: 'denied' } };
    expect(runCase(tlsOnly, { name: 'unread', facts: { buckets, policies: [{ bucket: B, statements: null }], unlisted: unread }, config, expected: [] })).toEqual([[B, 'not_applicable', 'not-phi'], ['s3 (unlisted buckets)', 'unverified', 'fact-unavailable']]);
  });
});

describe('aws.s3.tls-only counts only a Deny that every plain-HTTP request meets', () => {
  // Condition blocks are ANDed: a Deny that also names a VPC endpoint or an account lets plain HTTP through everywhere else.
  const arns = [`arn:aws:s3:::${B}`, `arn:aws:s3:::${B}/*`];
  const facts = (statement: Record<string, unknown>) => ({
    buckets,
    policies: [{ bucket: B, statements: parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'DenyInsecure', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: arns, ...statement }] }), B) }],
  });
  const insecure = { Bool: { 'aws:SecureTransport': 'false' } };
  const cases: CheckCase[] = [
    { name: 'only when the request comes from one VPC endpoint', facts: facts({ Condition: { ...insecure, StringEquals: { 'aws:SourceVpce': 'vpce-0123' } } }), expected: [[B, 'fail', 'conditional']] },
    { name: 'only for one account', facts: facts({ Condition: { ...insecure, StringEquals: { 'aws:PrincipalAccount': '123456789012' } } }), expected: [[B, 'fail', 'conditional']] },
    { name: 'another key under the same Bool', facts: facts({ Condition: { Bool: { 'aws:SecureTransport': 'false', 'aws:MultiFactorAuthPresent': 'true' } } }), expected: [[B, 'fail', 'conditional']] },
    { name: 'SecureTransport=true alongside under BoolIfExists', facts: facts({ Condition: { ...insecure, BoolIfExists: { 'aws:SecureTransport': 'true' } } }), expected: [[B, 'fail', 'conditional']] },
    { name: 'the key in another case is the same key', facts: facts({ Condition: { Bool: { 'AWS:securetransport': 'false' } } }), expected: [[B, 'pass', 'enforced']] },
    { name: 'Bool and BoolIfExists on SecureTransport together', facts: facts({ Condition: { ...insecure, BoolIfExists: { 'aws:SecureTransport': 'false' } } }), expected: [[B, 'pass', 'enforced']] },
    { name: 'a conditional Deny beside a plain one: the plain one decides', facts: { buckets, policies: [{ bucket: B, statements: [...facts({ Condition: { ...insecure, StringEquals: { 'aws:SourceVpce': 'vpce-0123' } } }).policies[0]!.statements, ...facts({ Condition: insecure }).policies[0]!.statements] }] }, expected: [[B, 'pass', 'enforced']] },
    { name: 'NotPrincipal is not everyone', facts: facts({ Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::123456789012:root' }, Condition: insecure }), expected: [[B, 'fail', 'no-tls-deny']] },
    { name: 'NotAction is not every action', facts: facts({ Action: undefined, NotAction: 's3:GetObject', Condition: insecure }), expected: [[B, 'fail', 'no-tls-deny']] },
    { name: 'NotResource is not the bucket', facts: facts({ Resource: undefined, NotResource: 'arn:aws:s3:::other/*', Condition: insecure }), expected: [[B, 'fail', 'partial']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(tlsOnly, c)).toEqual(c.expected));

  it('says which conditions narrow the Deny', () => {
    const [message] = renderedMessages(tlsOnly, facts({ Condition: { ...insecure, StringEquals: { 'aws:SourceVpce': 'vpce-0123' } } }));
    expect(message).toContain('aws:SourceVpce');
  });
});

describe('aws.s3.tls-only fix command', () => {
  // The policy is written once as JSON and filled per bucket: for any name, exactly the JSON of the whole statement.
  const expected = (name: string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
    });
  const policyOf = (name: string) => {
    const [finding] = tlsOnly.evaluate({ buckets: [{ name, region: 'us-east-1', exists: true }], policies: [{ bucket: name, statements: null }], unlisted: { ok: true, value: [] } } as never, { config: makeConfig({}), now: new Date() } as never);
    return String(finding!.args!.policy);
  };
  it.each(['phi-files', 'a"b', "it's", 'back\\slash', 'new\nline', '→ é 😀', '\ud800', 'BUCKET', '"OBJECTS"'])('%s', (name) => {
    expect(policyOf(name)).toBe(shellQuote(expected(name)));
  });
  it('any name', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 12 }), (name) => policyOf(name) === shellQuote(expected(name))), { numRuns: 500 });
  });
});

describe('aws.s3.lifecycle', () => {
  const filter = (over: Record<string, unknown> = {}) => ({ prefix: null, tags: [], objectSizeGreaterThan: null, objectSizeLessThan: null, ...over });
  const rule = (over: Record<string, unknown> = {}) => ({ id: 'archive', enabled: true, prefix: null, filter: filter(), transitions: [{ days: 90, storageClass: 'GLACIER' }], expirationDays: null, ...over });
  const config = { aws: { s3: { buckets: [{ name: B, glacierAfterDays: 90 }] } } };
  const cases: CheckCase[] = [
    { name: 'Glacier after 90 days passes', facts: { buckets, lifecycle: [{ bucket: B, rules: [rule()] }] }, config, expected: [[B, 'pass', 'transitions']] },
    { name: 'Deep Archive after 30 days passes', facts: { buckets, lifecycle: [{ bucket: B, rules: [rule({ transitions: [{ days: 30, storageClass: 'DEEP_ARCHIVE' }] })] }] }, config, expected: [[B, 'pass', 'transitions']] },
    { name: 'Glacier after 180 days fails', facts: { buckets, lifecycle: [{ bucket: B, rules: [rule({ transitions: [{ days: 180, storageClass: 'GLACIER' }] })] }] }, config, expected: [[B, 'fail', 'too-late']] },
    { name: 'STANDARD_IA is not an archive', facts: { buckets, lifecycle: [{ bucket: B, rules: [rule({ transitions: [{ days: 30, storageClass: 'STANDARD_IA' }] })] }] }, config, expected: [[B, 'fail', 'no-transition']] },
    { name: 'a disabled rule does not count', facts: { buckets, lifecycle: [{ bucket: B, rules: [rule({ enabled: false })] }] }, config, expected: [[B, 'fail', 'no-transition']] },
    { name: 'a prefix-only rule fails', facts: { buckets, lifecycle: [{ bucket: B, rules: [rule({ prefix: 'uploads/', filter: filter({ prefix: 'uploads/' }) })] }] }, config, expected: [[B, 'fail', 'prefix-only']] },
    // No prefix is not the whole bucket: a tag or a size bound narrows the rule as much.
    { name: 'a rule filtered by tag archives part of the bucket and fails', facts: { buckets, lifecycle: [{ bucket: B, rules: [rule({ filter: filter({ tags: [{ key: 'archive', value: 'yes' }] }) })] }] }, config, expected: [[B, 'fail', 'prefix-only']] },
    { name: 'a rule filtered by size archives part of the bucket and fails', facts: { buckets, lifecycle: [{ bucket: B, rules: [rule({ filter: filter({ objectSizeGreaterThan: 1048576 }) })] }] }, config, expected: [[B, 'fail', 'prefix-only']] },
    { name: 'a rule collected before filters were recorded is unverified, not whole-bucket', facts: { buckets, lifecycle: [{ bucket: B, rules: [rule({ filter: undefined })] }] }, config, expected: [[B, 'unverified', 'filter-not-recorded']] },
    { name: 'a date-based transition has no day count and does not pass', facts: { buckets, lifecycle: [{ bucket: B, rules: [rule({ transitions: [{ days: null, storageClass: 'GLACIER' }] })] }] }, config, expected: [[B, 'fail', 'no-transition']] },
    { name: 'no glacierAfterDays: not applicable', facts: { buckets, lifecycle: [{ bucket: B, rules: [] }] }, expected: [[B, 'not_applicable', 'not-required']] },
    { name: 'bucket not read is unverified', facts: { buckets, lifecycle: [] }, config, expected: [[B, 'unverified', 'bucket-not-read']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(lifecycle, c)).toEqual(c.expected));
});

describe('aws.s3.access-logging', () => {
  const logBuckets = { ok: true, value: [B, 'logs'] };
  const cases: CheckCase[] = [
    { name: 'logging to a target passes', facts: { buckets, accountBuckets: logBuckets, logging: [{ bucket: B, targetBucket: 'logs', targetPrefix: 'phi-files/' }] }, expected: [[B, 'pass', 'enabled']] },
    { name: 'logging off fails', facts: { buckets, accountBuckets: logBuckets, logging: [{ bucket: B, targetBucket: null, targetPrefix: null }] }, expected: [[B, 'fail', 'disabled']] },
    // Whoever may delete the bucket's objects may delete its trail with them.
    { name: 'logging into the bucket itself fails', facts: { buckets, accountBuckets: logBuckets, logging: [{ bucket: B, targetBucket: B, targetPrefix: 'logs/' }] }, expected: [[B, 'fail', 'logs-to-itself']] },
    { name: 'bucket not read is unverified', facts: { buckets, accountBuckets: logBuckets, logging: [] }, expected: [[B, 'unverified', 'bucket-not-read']] },
    { name: 'no buckets fails', facts: { buckets: [], accountBuckets: logBuckets, logging: [] }, expected: [['s3', 'fail', 'no-buckets']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(accessLogging, c)).toEqual(c.expected));
});

describe('a configured bucket that does not exist fails every S3 check, never not_applicable', () => {
  const missing = { buckets: [{ name: B, region: null, exists: false }], policies: [], lifecycle: [], logging: [], versioning: [], unlisted: { ok: true, value: [] }, accountBuckets: { ok: true, value: [] } };
  // The settings that would otherwise make a check not applicable: not PHI, versioning optional, no archive rule asked.
  const config = { aws: { s3: { buckets: [{ name: B, phi: false, versioning: 'optional' as const }] } } };
  it.each([tlsOnly, lifecycle, accessLogging, versioning])('$meta.id', (check) => {
    expect(runCase(check, { name: check.meta.id, facts: missing, config, expected: [] })).toEqual([[B, 'fail', 'bucket-missing']]);
  });
});

describe('aws.s3.versioning: a bucket that holds PHI needs versioning unless the config opts it out', () => {
  const state = (status: string) => ({ buckets, versioning: [{ bucket: B, status, mfaDelete: false }] });
  const listed = (entry: Record<string, unknown>) => ({ aws: { region: 'us-east-1', s3: { buckets: [{ name: B, ...entry }] } } });
  const cases: CheckCase[] = [
    // The default of a listed bucket is PHI: before, versioning was asked for only when the entry said `required`.
    { name: 'a listed bucket with no versioning key holds PHI: Suspended fails', facts: state('Suspended'), config: listed({}), expected: [[B, 'fail', 'not-enabled']] },
    { name: 'never enabled on a PHI bucket fails', facts: state('Never'), config: listed({ phi: true }), expected: [[B, 'fail', 'not-enabled']] },
    { name: 'no bucket list: every bucket is taken to hold PHI', facts: state('Never'), config: { aws: { region: 'us-east-1', s3: {} } }, expected: [[B, 'fail', 'not-enabled']] },
    { name: 'phi: false and no versioning key is not required', facts: state('Suspended'), config: listed({ phi: false }), expected: [[B, 'not_applicable', 'not-required']] },
    { name: 'an explicit `versioning: optional` on a PHI bucket is an opt-out the report names', facts: state('Suspended'), config: listed({ versioning: 'optional' }), expected: [[B, 'not_applicable', 'opted-out']] },
    { name: '`versioning: required` on a bucket without PHI still applies', facts: state('Suspended'), config: listed({ phi: false, versioning: 'required' }), expected: [[B, 'fail', 'not-enabled']] },
    { name: 'Enabled passes', facts: state('Enabled'), config: listed({}), expected: [[B, 'pass', 'enabled']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(versioning, c)).toEqual(c.expected));

  it('the opt-out names the PHI the bucket holds', () => {
    const c = cases.find((x) => x.expected[0]?.[2] === 'opted-out')!;
    expect(renderedMessages(versioning, c.facts, c.config)).toEqual([`Versioning is Suspended on ${B}, which holds PHI: the config opts it out (\`versioning: optional\`)`]);
  });
});
