import { describe, expect, it } from 'vitest';
import apigatewayLogging from '../../../checks/aws/aws.apigateway.logging.js';
import baa from '../../../checks/aws/aws.baa.js';
import cloudtrailEnabled from '../../../checks/aws/aws.cloudtrail.enabled.js';
import cognitoMfa from '../../../checks/aws/aws.cognito.mfa.js';
import cognitoUnauthenticated from '../../../checks/aws/aws.cognito.unauthenticated-identities.js';
import rootAccessKeys from '../../../checks/aws/aws.iam.root-access-keys.js';
import rootMfa from '../../../checks/aws/aws.iam.root-mfa.js';
import secretsRotation from '../../../checks/aws/aws.secrets.rotation.js';
import { renderedCommands, runCase, type CheckCase } from '../../support/check-tester.js';

const identity = { ok: true, value: { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ci', regions: ['us-east-1'] } };
const summary = (over: Record<string, unknown> = {}) => ({ rootMfaEnabled: true, rootAccessKeysPresent: false, users: 2, ...over });

describe('aws.iam.root-mfa', () => {
  const cases: CheckCase[] = [
    { name: 'MFA on passes', facts: { summary: summary(), identity }, expected: [['123456789012', 'pass', 'enabled']] },
    { name: 'MFA off fails', facts: { summary: summary({ rootMfaEnabled: false }), identity }, expected: [['123456789012', 'fail', 'disabled']] },
    { name: 'without the identity the configured account names the resource', facts: { summary: summary({ rootMfaEnabled: false }), identity: { ok: false, failure: { kind: 'AccessDenied', message: 'no' } } }, config: { aws: { accountId: '111122223333' } }, expected: [['111122223333', 'fail', 'disabled']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(rootMfa, c)).toEqual(c.expected));
});

describe('aws.iam.root-access-keys', () => {
  const cases: CheckCase[] = [
    { name: 'no root keys passes', facts: { summary: summary(), identity }, expected: [['123456789012', 'pass', 'absent']] },
    { name: 'root keys fail', facts: { summary: summary({ rootAccessKeysPresent: true }), identity }, expected: [['123456789012', 'fail', 'present']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(rootAccessKeys, c)).toEqual(c.expected));
});

const trail = (over: Record<string, unknown> = {}) => ({
  name: 'audit', arn: 'arn:aws:cloudtrail:us-east-1:1:trail/audit', homeRegion: 'us-east-1', multiRegion: true, organizationTrail: false,
  logFileValidation: true, s3Bucket: 'logs', isLogging: true, latestDeliveryError: null, managementEvents: { read: true, write: true, excludedSources: [] }, ...over,
});

describe('aws.cloudtrail.enabled', () => {
  const cases: CheckCase[] = [
    { name: 'multi-region, logging, validated passes', facts: { trails: [trail()] }, expected: [['arn:aws:cloudtrail:us-east-1:1:trail/audit', 'pass', 'compliant']] },
    { name: 'no trail fails', facts: { trails: [] }, expected: [['cloudtrail', 'fail', 'no-trails']] },
    { name: 'single-region trail fails', facts: { trails: [trail({ multiRegion: false })] }, expected: [['arn:aws:cloudtrail:us-east-1:1:trail/audit', 'fail', 'not-multi-region']] },
    { name: 'stopped trail fails', facts: { trails: [trail({ isLogging: false })] }, expected: [['arn:aws:cloudtrail:us-east-1:1:trail/audit', 'fail', 'not-logging']] },
    { name: 'a trail whose logs cannot reach S3 fails', facts: { trails: [trail({ latestDeliveryError: 'AccessDenied' })] }, expected: [['arn:aws:cloudtrail:us-east-1:1:trail/audit', 'fail', 'delivery-failing']] },
    { name: 'no log file validation fails', facts: { trails: [trail({ logFileValidation: false })] }, expected: [['arn:aws:cloudtrail:us-east-1:1:trail/audit', 'fail', 'no-validation']] },
    { name: 'a trail recording no management events fails', facts: { trails: [trail({ managementEvents: { read: false, write: false, excludedSources: [] } })] }, expected: [['arn:aws:cloudtrail:us-east-1:1:trail/audit', 'fail', 'no-management-events']] },
    { name: 'a trail recording only management reads fails', facts: { trails: [trail({ managementEvents: { read: true, write: false, excludedSources: [] } })] }, expected: [['arn:aws:cloudtrail:us-east-1:1:trail/audit', 'fail', 'partial-management-events']] },
    { name: 'a trail whose selectors were not read is unverified', facts: { trails: [trail({ managementEvents: null })] }, expected: [['arn:aws:cloudtrail:us-east-1:1:trail/audit', 'unverified', 'selectors-unknown']] },
    {
      name: 'one good trail among bad ones passes',
      facts: { trails: [trail({ arn: 'a', multiRegion: false }), trail({ arn: 'b' })] },
      expected: [['b', 'pass', 'compliant']],
    },
    {
      name: 'the trail closest to compliant is reported',
      facts: { trails: [trail({ arn: 'a', multiRegion: false }), trail({ arn: 'b', logFileValidation: false })] },
      expected: [['b', 'fail', 'no-validation']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(cloudtrailEnabled, c)).toEqual(c.expected));
});

const userPool = (mfa: string, over: Record<string, unknown> = {}) => ({ id: 'us-east-1_abc', name: 'staff', arn: 'arn', region: 'us-east-1', mfa, missing: false, identityProviders: [], ...over });

describe('aws.cognito.mfa', () => {
  const cases: CheckCase[] = [
    { name: 'MFA ON passes', facts: { pools: [userPool('ON')] }, expected: [['us-east-1_abc', 'pass', 'required']] },
    { name: 'MFA OPTIONAL fails', facts: { pools: [userPool('OPTIONAL')] }, expected: [['us-east-1_abc', 'fail', 'optional']] },
    { name: 'MFA OFF fails', facts: { pools: [userPool('OFF')] }, expected: [['us-east-1_abc', 'fail', 'off']] },
    { name: 'MFA OPTIONAL passes on a patient pool', facts: { pools: [userPool('OPTIONAL')] }, config: { aws: { cognito: { patientPools: ['us-east-1_abc'] } } }, expected: [['us-east-1_abc', 'pass', 'optional-patients']] },
    { name: 'MFA OFF fails even on a patient pool', facts: { pools: [userPool('OFF')] }, config: { aws: { cognito: { patientPools: ['us-east-1_abc'] } } }, expected: [['us-east-1_abc', 'fail', 'off']] },
    { name: 'an unreported setting is unverified', facts: { pools: [userPool('unknown')] }, expected: [['us-east-1_abc', 'unverified', 'unknown']] },
    { name: 'a configured pool that is missing fails', facts: { pools: [userPool('unknown', { missing: true })] }, expected: [['us-east-1_abc', 'fail', 'missing']] },
    { name: 'no pool is not applicable', facts: { pools: [] }, expected: [['cognito', 'not_applicable', 'no-user-pools']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(cognitoMfa, c)).toEqual(c.expected));
});

const identityPool = (allowUnauthenticated: boolean, over: Record<string, unknown> = {}) => ({ id: 'us-east-1:b90f', name: 'uploads', region: 'us-east-1', allowUnauthenticated, missing: false, loginProviders: [], openIdConnectProviders: 0, samlProviders: 0, cognitoProviders: [], ...over });

describe('aws.cognito.unauthenticated-identities', () => {
  const cases: CheckCase[] = [
    { name: 'authenticated only passes', facts: { pools: [identityPool(false)] }, expected: [['us-east-1:b90f', 'pass', 'authenticated-only']] },
    { name: 'unauthenticated allowed fails', facts: { pools: [identityPool(true)] }, expected: [['us-east-1:b90f', 'fail', 'unauthenticated-allowed']] },
    { name: 'a configured pool that is missing fails', facts: { pools: [identityPool(false, { missing: true })] }, expected: [['us-east-1:b90f', 'fail', 'missing']] },
    { name: 'no pool is not applicable', facts: { pools: [] }, expected: [['cognito', 'not_applicable', 'no-identity-pools']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(cognitoUnauthenticated, c)).toEqual(c.expected));
});

const secret = (name: string, over: Record<string, unknown> = {}) => ({
  name, arn: `arn:${name}`, region: 'us-east-1', description: null, tags: {}, owningService: null, rotationEnabled: false, rotationDays: null, lastRotated: null, created: '2025-09-28T00:00:00Z', ...over,
});

describe('aws.secrets.rotation', () => {
  const cases: CheckCase[] = [
    { name: 'DB secret by name, rotating, passes', facts: { secrets: [secret('prod/database/credentials', { rotationEnabled: true, rotationDays: 30 })] }, expected: [['arn:prod/database/credentials', 'pass', 'rotating']] },
    { name: 'rotation on but last done long ago is stale', facts: { secrets: [secret('prod/db', { rotationEnabled: true, rotationDays: 30, lastRotated: '2025-06-01T00:00:00Z' })] }, expected: [['arn:prod/db', 'fail', 'rotation-stale']] },
    { name: 'rotation on but never done, on a secret created long ago, is stale', facts: { secrets: [secret('prod/db', { rotationEnabled: true, rotationDays: 30, created: '2025-06-01T00:00:00Z' })] }, expected: [['arn:prod/db', 'fail', 'rotation-stale']] },
    { name: 'rotation on, not done yet, on a secret created this week passes', facts: { secrets: [secret('prod/db', { rotationEnabled: true, rotationDays: 30, created: '2025-09-28T00:00:00Z' })] }, expected: [['arn:prod/db', 'pass', 'rotating']] },
    { name: 'a rotating non-DB secret last rotated long ago is stale too', facts: { secrets: [secret('app/stripe', { rotationEnabled: true, rotationDays: 30, lastRotated: '2025-06-01T00:00:00Z' })] }, expected: [['arn:app/stripe', 'fail', 'other-rotation-stale']] },
    { name: 'rotation on with neither a last rotation nor a creation date is unverified, not a pass', facts: { secrets: [secret('prod/db', { rotationEnabled: true, rotationDays: 30, created: null }), secret('app/stripe', { rotationEnabled: true, rotationDays: 30, created: null })] }, expected: [['arn:prod/db', 'unverified', 'rotation-unconfirmed'], ['arn:app/stripe', 'unverified', 'rotation-unconfirmed']] },
    // A schedule set with ScheduleExpression, or one that never succeeded, can leave AutomaticallyAfterDays unset.
    { name: 'rotation on, no day count, never rotated since created long ago is stale, not a pass', facts: { secrets: [secret('prod/db', { rotationEnabled: true, rotationDays: null, lastRotated: null, created: '2023-01-10T00:00:00Z' }), secret('app/stripe', { rotationEnabled: true, rotationDays: null, lastRotated: null, created: '2023-01-10T00:00:00Z' })] }, expected: [['arn:prod/db', 'fail', 'rotation-stale'], ['arn:app/stripe', 'fail', 'other-rotation-stale']] },
    { name: 'rotation on, no day count, last rotated long ago is stale', facts: { secrets: [secret('prod/db', { rotationEnabled: true, rotationDays: null, lastRotated: '2025-01-01T00:00:00Z', created: '2023-01-10T00:00:00Z' })] }, expected: [['arn:prod/db', 'fail', 'rotation-stale']] },
    { name: 'rotation on, no day count, rotated last week passes', facts: { secrets: [secret('prod/db', { rotationEnabled: true, rotationDays: null, lastRotated: '2025-10-04T00:00:00Z', created: '2023-01-10T00:00:00Z' })] }, expected: [['arn:prod/db', 'pass', 'rotating']] },
    { name: 'rotation on and recent passes', facts: { secrets: [secret('prod/db', { rotationEnabled: true, rotationDays: 30, lastRotated: '2025-09-20T00:00:00Z' })] }, expected: [['arn:prod/db', 'pass', 'rotating']] },
    { name: 'DB secret by name, not rotating, fails', facts: { secrets: [secret('prod/db-password')] }, expected: [['arn:prod/db-password', 'fail', 'not-rotating']] },
    { name: 'CloudFormation logical id in camelCase counts', facts: { secrets: [secret('abc123', { tags: { 'aws:cloudformation:logical-id': 'DatabaseSecret3B817195' } })] }, expected: [['arn:abc123', 'fail', 'not-rotating']] },
    { name: 'description counts', facts: { secrets: [secret('app/main', { description: 'Aurora PostgreSQL master user' })] }, expected: [['arn:app/main', 'fail', 'not-rotating']] },
    { name: 'RDS-managed secret counts', facts: { secrets: [secret('rds!cluster-1234', { owningService: 'rds', rotationEnabled: true, rotationDays: 7 })] }, expected: [['arn:rds!cluster-1234', 'pass', 'rotating']] },
    { name: 'aws:rds tag counts', facts: { secrets: [secret('x', { tags: { 'aws:rds:primaryDBClusterArn': 'arn:aws:rds:...' } })] }, expected: [['arn:x', 'fail', 'not-rotating']] },
    { name: 'a static non-DB secret (a PHI vendor key) is a finding too, one finding each', facts: { secrets: [secret('app/twilio-api-key'), secret('prod/database')] }, expected: [['arn:app/twilio-api-key', 'fail', 'other-not-rotating'], ['arn:prod/database', 'fail', 'not-rotating']] },
    { name: 'a non-DB secret on the allow-list is not applicable', facts: { secrets: [secret('app/twilio-api-key')] }, config: { aws: { secrets: { allowNonRotating: ['app/twilio-api-key'] } } }, expected: [['arn:app/twilio-api-key', 'not_applicable', 'allowed-static']] },
    { name: 'the allow-list does not excuse database credentials (use a waiver)', facts: { secrets: [secret('prod/database')] }, config: { aws: { secrets: { allowNonRotating: ['prod/database'] } } }, expected: [['arn:prod/database', 'fail', 'not-rotating']] },
    { name: 'a rotating non-DB secret passes', facts: { secrets: [secret('app/stripe', { rotationEnabled: true, rotationDays: 30 })] }, expected: [['arn:app/stripe', 'pass', 'other-rotating']] },
    { name: 'words inside other words do not count (feedback, pgp): judged as a non-DB secret', facts: { secrets: [secret('feedback-signing/pgp-key')] }, expected: [['arn:feedback-signing/pgp-key', 'fail', 'other-not-rotating']] },
    { name: 'no secrets is not applicable', facts: { secrets: [] }, expected: [['secretsmanager', 'not_applicable', 'no-secrets']] },
    // A schedule of years is rotation in name only: every leaked copy stays valid that long.
    { name: 'a rotation schedule longer than 90 days fails, rotated on time or not', facts: { secrets: [secret('prod/db', { rotationEnabled: true, rotationDays: 3650, lastRotated: '2025-09-20T00:00:00Z' }), secret('app/stripe', { rotationEnabled: true, rotationDays: 365, lastRotated: '2025-09-20T00:00:00Z' })] }, expected: [['arn:prod/db', 'fail', 'rotation-too-slow'], ['arn:app/stripe', 'fail', 'other-rotation-too-slow']] },
    { name: 'exactly 90 days passes', facts: { secrets: [secret('prod/db', { rotationEnabled: true, rotationDays: 90, lastRotated: '2025-09-20T00:00:00Z' })] }, expected: [['arn:prod/db', 'pass', 'rotating']] },
    { name: 'maxRotationDays sets the longest schedule accepted', facts: { secrets: [secret('prod/db', { rotationEnabled: true, rotationDays: 60, lastRotated: '2025-09-20T00:00:00Z' }), secret('app/stripe', { rotationEnabled: true, rotationDays: 180, lastRotated: '2025-09-20T00:00:00Z' })] }, options: { maxRotationDays: 30 }, expected: [['arn:prod/db', 'fail', 'rotation-too-slow'], ['arn:app/stripe', 'fail', 'other-rotation-too-slow']] },
    { name: 'maxRotationDays is also how long a rotation with no day count may go unrotated', facts: { secrets: [secret('prod/db', { rotationEnabled: true, rotationDays: null, lastRotated: '2025-09-01T00:00:00Z', created: '2023-01-10T00:00:00Z' })] }, options: { maxRotationDays: 30 }, expected: [['arn:prod/db', 'fail', 'rotation-stale']] },
    { name: 'a longer limit accepts a yearly schedule', facts: { secrets: [secret('app/stripe', { rotationEnabled: true, rotationDays: 365, lastRotated: '2025-09-20T00:00:00Z' })] }, options: { maxRotationDays: 365 }, expected: [['arn:app/stripe', 'pass', 'other-rotating']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(secretsRotation, c)).toEqual(c.expected));
});

const stage = (over: Record<string, unknown> = {}) => ({
  apiId: 'xmbq984faa', apiName: 'api', region: 'us-east-1', stage: 'prod', accessLogDestination: 'arn:aws:logs:us-east-1:1:log-group:api', throttling: { burstLimit: 200, rateLimit: 100 }, ...over,
});

const readV2 = (stages: unknown[]) => ({ ok: true, value: stages });
const noV2 = readV2([]);
const v2Stage = (over: Record<string, unknown> = {}) => ({
  apiId: 'a1b2c3d4e5', apiName: 'http-api', protocol: 'HTTP', region: 'us-east-1', stage: '$default', accessLogDestination: 'arn:aws:logs:us-east-1:1:log-group:http-api', throttling: { burstLimit: 200, rateLimit: 100 }, ...over,
});
const deniedV2 = { ok: false, failure: { kind: 'AccessDenied', message: 'AccessDeniedException calling apigateway:GET', fix: 'grant apigateway:GET on arn:aws:apigateway:*::/apis*' } };

describe('aws.apigateway.logging', () => {
  const cases: CheckCase[] = [
    { name: 'logging and throttling pass', facts: { v2Stages: noV2, stages: [stage()] }, expected: [['xmbq984faa/prod', 'pass', 'configured']] },
    { name: 'no access logging fails', facts: { v2Stages: noV2, stages: [stage({ accessLogDestination: null })] }, expected: [['xmbq984faa/prod', 'fail', 'no-access-logging']] },
    { name: 'no throttling fails', facts: { v2Stages: noV2, stages: [stage({ throttling: null })] }, expected: [['xmbq984faa/prod', 'fail', 'no-throttling']] },
    { name: 'only a burst limit is not throttling', facts: { v2Stages: noV2, stages: [stage({ throttling: { burstLimit: 10, rateLimit: null } })] }, expected: [['xmbq984faa/prod', 'fail', 'no-throttling']] },
    { name: 'neither fails', facts: { v2Stages: noV2, stages: [stage({ accessLogDestination: null, throttling: null })] }, expected: [['xmbq984faa/prod', 'fail', 'no-logging-no-throttling']] },
    { name: 'one finding per stage', facts: { v2Stages: noV2, stages: [stage(), stage({ stage: 'dev', accessLogDestination: null })] }, expected: [['xmbq984faa/prod', 'pass', 'configured'], ['xmbq984faa/dev', 'fail', 'no-access-logging']] },
    { name: 'no API is not applicable', facts: { v2Stages: noV2, stages: [] }, expected: [['apigateway', 'not_applicable', 'no-apis']] },
    {
      name: 'an API the probes call but that was not read (e.g. an HTTP API) is unverified, not "no API"',
      facts: { v2Stages: noV2, stages: [] },
      config: { probes: [{ id: 'api-health', url: 'https://h7x2k9p4qa.execute-api.eu-west-1.amazonaws.com/health', expectStatus: 200, timeoutMs: 5000 }] },
      expected: [['h7x2k9p4qa', 'unverified', 'api-not-read']],
    },
    {
      name: 'a read API the config points at is assessed as usual, an unread one beside it is unverified',
      facts: { v2Stages: noV2, stages: [stage()] },
      config: { domain: { name: 'example.com', hosts: { api: 'api.example.com' }, resolve: { 'api.example.com': 'p9q8r7s6t5.execute-api.us-east-1.amazonaws.com', 'old.example.com': 'd-0ab1cd2ef3.execute-api.us-east-1.amazonaws.com' } }, probes: [{ id: 'api', url: 'https://xmbq984faa.execute-api.us-east-1.amazonaws.com/prod/health', expectStatus: 200, timeoutMs: 5000 }] },
      expected: [['p9q8r7s6t5', 'unverified', 'api-not-read'], ['xmbq984faa/prod', 'pass', 'configured']],
    },
    // API Gateway v2 (HTTP and WebSocket APIs): access log settings and default route throttling, one finding per stage.
    { name: 'an HTTP API stage with logging and throttling passes', facts: { stages: [], v2Stages: readV2([v2Stage()]) }, expected: [['a1b2c3d4e5/$default', 'pass', 'configured']] },
    { name: 'an HTTP API stage without access logging fails', facts: { stages: [], v2Stages: readV2([v2Stage({ accessLogDestination: null })]) }, expected: [['a1b2c3d4e5/$default', 'fail', 'no-access-logging']] },
    { name: 'a WebSocket API stage without throttling fails', facts: { stages: [], v2Stages: readV2([v2Stage({ protocol: 'WEBSOCKET', stage: 'prod', throttling: null })]) }, expected: [['a1b2c3d4e5/prod', 'fail', 'no-throttling']] },
    { name: 'a zero rate limit is not throttling', facts: { stages: [], v2Stages: readV2([v2Stage({ throttling: { burstLimit: 0, rateLimit: 0 } })]) }, expected: [['a1b2c3d4e5/$default', 'fail', 'no-throttling']] },
    { name: 'REST and HTTP stages side by side, one finding each', facts: { stages: [stage()], v2Stages: readV2([v2Stage({ accessLogDestination: null, throttling: null })]) }, expected: [['xmbq984faa/prod', 'pass', 'configured'], ['a1b2c3d4e5/$default', 'fail', 'no-logging-no-throttling']] },
    {
      name: 'an HTTP API the probes call is assessed, not "not read"',
      facts: { stages: [], v2Stages: readV2([v2Stage()]) },
      config: { probes: [{ id: 'api-health', url: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/health', expectStatus: 200, timeoutMs: 5000 }] },
      expected: [['a1b2c3d4e5/$default', 'pass', 'configured']],
    },
    { name: 'v2 APIs that could not be read are unverified, never "no API"', facts: { stages: [], v2Stages: deniedV2 }, expected: [['apigatewayv2', 'unverified', 'v2-not-read']] },
    { name: 'v2 unreadable beside a read REST stage: both reported', facts: { stages: [stage()], v2Stages: deniedV2 }, expected: [['apigatewayv2', 'unverified', 'v2-not-read'], ['xmbq984faa/prod', 'pass', 'configured']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(apigatewayLogging, c)).toEqual(c.expected));

  it('gives each API kind its own CLI: apigateway patch operations for REST, apigatewayv2 settings for HTTP/WebSocket', () => {
    const [rest, http] = renderedCommands(apigatewayLogging, { stages: [stage({ throttling: null })], v2Stages: [v2Stage({ accessLogDestination: null })] });
    expect(rest).toMatch(/^aws apigateway update-stage --rest-api-id xmbq984faa --stage-name prod --region us-east-1 --patch-operations /);
    expect(http).toMatch(/^aws apigatewayv2 update-stage --api-id a1b2c3d4e5 --stage-name '\$default' --region us-east-1 --access-log-settings '\{"DestinationArn":"arn:aws:logs:us-east-1:'"\$\(aws sts get-caller-identity --query Account --output text\)"':log-group:\/aws\/apigateway\/a1b2c3d4e5-default",/);
    expect(http).toContain('--default-route-settings ThrottlingRateLimit=100,ThrottlingBurstLimit=200');
  });
});

const attested = { 'aws-baa': { date: '2025-10-01', by: 'Jane Doe', evidence: 'baa.pdf', expires: null, evidenceSha256: 'abc', evidenceFound: true } };
const agreement = (over: Record<string, unknown> = {}) => ({
  id: 'customer-agreement-1', name: 'AWS Business Associate Addendum', arn: 'arn:aws:artifact::1:customer-agreement/customer-agreement-1',
  agreementArn: 'arn:aws:artifact:::agreement/agreement-1', state: 'ACTIVE', type: 'DEFAULT', effectiveStart: '2025-09-01T00:00:00.000Z', effectiveEnd: null, ...over,
});
const ok = (value: unknown) => ({ ok: true, value });
const denied = { ok: false, failure: { kind: 'AccessDenied', message: 'AccessDeniedException calling artifact:ListCustomerAgreements', fix: 'grant artifact:ListCustomerAgreements' } };

describe('aws.baa', () => {
  const cases: CheckCase[] = [
    { name: 'ACTIVE BAA in Artifact passes without attestation', facts: { attestations: {}, agreements: ok([agreement()]) }, expected: [['aws-baa', 'pass', 'artifact-active']] },
    { name: 'a terminated BAA does not count', facts: { attestations: {}, agreements: ok([agreement({ state: 'CUSTOMER_TERMINATED' })]) }, expected: [['aws-baa', 'fail', 'baa-terminated']] },
    { name: 'a BAA terminated by the customer fails even with an attestation', facts: { attestations: attested, agreements: ok([agreement({ state: 'CUSTOMER_TERMINATED' })]) }, expected: [['aws-baa', 'fail', 'baa-terminated']] },
    { name: 'a BAA terminated by AWS fails even with an attestation', facts: { attestations: attested, agreements: ok([agreement({ state: 'AWS_TERMINATED' })]) }, expected: [['aws-baa', 'fail', 'baa-terminated']] },
    { name: 'a BAA in a state Artifact did not give is not in force: the attestation cannot make it pass', facts: { attestations: attested, agreements: ok([agreement({ state: 'unknown' })]) }, expected: [['aws-baa', 'unverified', 'artifact-contradicts-attestation']] },
    { name: 'another ACTIVE agreement is not a BAA', facts: { attestations: {}, agreements: ok([agreement({ name: 'AWS Australian Notifiable Data Breach Addendum' })]) }, expected: [['aws-baa', 'fail', 'artifact-no-baa']] },
    { name: 'no Artifact BAA but an attestation: unverified, never pass (an offline BAA is possible)', facts: { attestations: attested, agreements: ok([]) }, expected: [['aws-baa', 'unverified', 'artifact-contradicts-attestation']] },
    { name: 'only other agreements in Artifact but an attestation: unverified', facts: { attestations: attested, agreements: ok([agreement({ name: 'AWS Australian Notifiable Data Breach Addendum' })]) }, expected: [['aws-baa', 'unverified', 'artifact-contradicts-attestation']] },
    { name: 'no Artifact BAA and an expired attestation: the attestation failure stands', facts: { attestations: { 'aws-baa': { ...attested['aws-baa'], expires: '2025-01-01' } }, agreements: ok([]) }, expected: [['aws-baa', 'fail', 'attestation-expired']] },
    { name: 'Artifact unreadable, attestation passes', facts: { attestations: attested, agreements: denied }, expected: [['aws-baa', 'pass', 'attested']] },
    { name: 'Artifact unreadable, expired attestation fails', facts: { attestations: { 'aws-baa': { ...attested['aws-baa'], expires: '2025-01-01' } }, agreements: denied }, expected: [['aws-baa', 'fail', 'attestation-expired']] },
    { name: 'Artifact unreadable and no attestation is unverified, never pass', facts: { attestations: {}, agreements: denied }, expected: [['aws-baa', 'unverified', 'artifact-unreadable']] },
    { name: 'no aws section: the attestation rule alone decides', facts: { attestations: {}, agreements: { ok: false, failure: { kind: 'NotConfigured', message: 'no `aws` section' } } }, expected: [['aws-baa', 'fail', 'attestation-missing']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(baa, c)).toEqual(c.expected));
});
