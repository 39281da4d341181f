import { CloudTrailClient, CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand, type PutEventSelectorsCommandInput } from '@aws-sdk/client-cloudtrail';
import { CognitoIdentityClient, CreateIdentityPoolCommand } from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient, CreateUserPoolCommand, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CreateAccessKeyCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import cloudtrailEnabled from '../../checks/aws/aws.cloudtrail.enabled.js';
import cognitoMfa from '../../checks/aws/aws.cognito.mfa.js';
import cognitoUnauthenticated from '../../checks/aws/aws.cognito.unauthenticated-identities.js';
import rootAccessKeys from '../../checks/aws/aws.iam.root-access-keys.js';
import rootMfa from '../../checks/aws/aws.iam.root-mfa.js';
import { awsIdentity } from '../../src/facts/aws.js';
import { cloudtrailTrails, cognitoIdentityPools, cognitoUserPools, iamAccountSummary } from '../../src/facts/aws-account.js';
import { collectAws, sentActions, motoForFile } from '../support/aws-collect.js';
import { unsafeActions } from '../support/iam-actions.js';
import { runCli } from '../support/cli.js';

const aws = motoForFile();

describe('aws.identity against moto (report header)', () => {
  it('reads the caller account and ARN through STS', async () => {
    const run = await collectAws(aws.moto, [awsIdentity]);
    expect(run.outcomes.get(awsIdentity.id)).toEqual({ ok: true, value: { account: '123456789012', arn: expect.stringMatching(/^arn:aws:(iam|sts)::123456789012:/), regions: ['us-east-1'] } });
  });

  it('`readiness check` live against moto puts the caller account in the report header', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'readiness-identity-'));
    try {
      const config = join(dir, 'readiness.config.yaml');
      await writeFile(config, `project: identity-test\naws:\n  region: us-east-1\n  endpoint: ${aws.moto.endpoint}\n`);
      const json = await runCli(['check', '--config', config, '--only', 'aws.iam.root-access-keys', '--format', 'json']);
      const report = JSON.parse(json.stdout) as { source: { account?: string }; results: { checkId: string; status: string }[] };
      expect(report.source.account).toBe('123456789012');
      expect(report.results).toMatchObject([{ checkId: 'aws.iam.root-access-keys', status: 'pass' }]);
      const terminal = await runCli(['check', '--config', config, '--only', 'aws.iam.root-access-keys', '--format', 'terminal']);
      expect(terminal.stdout.split('\n')[0]).toContain('account 123456789012');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('aws.iam.root-mfa / aws.iam.root-access-keys against moto', () => {
  it('reads GetAccountSummary: no root keys passes; root MFA fails (moto always reports AccountMFAEnabled 0)', async () => {
    const run = await collectAws(aws.moto, [iamAccountSummary, awsIdentity]);
    expect(run.results(rootAccessKeys)).toEqual([['123456789012', 'pass', 'absent']]);
    // aws.moto cannot enable root MFA: the passing variant is in failures.test.ts, with aws-sdk-client-mock.
    expect(run.results(rootMfa)).toEqual([['123456789012', 'fail', 'disabled']]);
  });

  it('an IAM user access key is not a root key', async () => {
    const iam = aws.client(IAMClient);
    const { CreateUserCommand } = await import('@aws-sdk/client-iam');
    await iam.send(new CreateUserCommand({ UserName: 'ci' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'ci' }));
    const run = await collectAws(aws.moto, [iamAccountSummary, awsIdentity]);
    expect(run.results(rootAccessKeys)).toEqual([['123456789012', 'pass', 'absent']]);
  });
});

describe('aws.cloudtrail.enabled against moto', () => {
  // aws.moto gives a new trail no event selectors (AWS gives it the default one, all management events): set them as AWS would.
  const ALL_MANAGEMENT_EVENTS = { EventSelectors: [{ ReadWriteType: 'All' as const, IncludeManagementEvents: true }] };
  async function trail(
    name: string,
    options: { multiRegion: boolean; validation: boolean; start: boolean; selectors?: Omit<PutEventSelectorsCommandInput, 'TrailName'> | null },
  ) {
    await aws.client(S3Client).send(new CreateBucketCommand({ Bucket: `${name}-logs` }));
    const cloudtrail = aws.client(CloudTrailClient);
    await cloudtrail.send(new CreateTrailCommand({ Name: name, S3BucketName: `${name}-logs`, IsMultiRegionTrail: options.multiRegion, EnableLogFileValidation: options.validation }));
    const selectors = options.selectors === undefined ? ALL_MANAGEMENT_EVENTS : options.selectors;
    if (selectors) await cloudtrail.send(new PutEventSelectorsCommand({ TrailName: name, ...selectors }));
    if (options.start) await cloudtrail.send(new StartLoggingCommand({ Name: name }));
  }
  const AUDIT = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/audit';

  it('fails a multi-region trail that logs data events but no management events (classic selectors)', async () => {
    const dataOnly = { EventSelectors: [{ ReadWriteType: 'All' as const, IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] };
    await trail('audit', { multiRegion: true, validation: true, start: true, selectors: dataOnly });
    const run = await collectAws(aws.moto, [cloudtrailTrails]);
    expect(run.results(cloudtrailEnabled)).toEqual([[AUDIT, 'fail', 'no-management-events']]);
    expect(sentActions).toContain('cloudtrail:GetEventSelectors');
  });

  it('fails a trail with no event selectors at all', async () => {
    await trail('audit', { multiRegion: true, validation: true, start: true, selectors: null });
    expect((await collectAws(aws.moto, [cloudtrailTrails])).results(cloudtrailEnabled)).toEqual([[AUDIT, 'fail', 'no-management-events']]);
  });

  it('advanced selectors: management writes only fail, every management event passes', async () => {
    const writesOnly = { AdvancedEventSelectors: [{ Name: 'writes', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }] }] };
    await trail('audit', { multiRegion: true, validation: true, start: true, selectors: writesOnly });
    expect((await collectAws(aws.moto, [cloudtrailTrails])).results(cloudtrailEnabled)).toEqual([[AUDIT, 'fail', 'partial-management-events']]);
    const all = { AdvancedEventSelectors: [{ Name: 'management', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] };
    await aws.client(CloudTrailClient).send(new PutEventSelectorsCommand({ TrailName: 'audit', ...all }));
    expect((await collectAws(aws.moto, [cloudtrailTrails])).results(cloudtrailEnabled)).toEqual([[AUDIT, 'pass', 'compliant']]);
  });

  it('classic selectors: read-only management events fail', async () => {
    await trail('audit', { multiRegion: true, validation: true, start: true, selectors: { EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] } });
    expect((await collectAws(aws.moto, [cloudtrailTrails])).results(cloudtrailEnabled)).toEqual([[AUDIT, 'fail', 'partial-management-events']]);
  });

  it('a trail leaving out KMS management events fails, classic or advanced (Decrypt of PHI keys unrecorded)', async () => {
    const classic = { EventSelectors: [{ ReadWriteType: 'All' as const, IncludeManagementEvents: true, ExcludeManagementEventSources: ['kms.amazonaws.com'] }] };
    await trail('audit', { multiRegion: true, validation: true, start: true, selectors: classic });
    expect((await collectAws(aws.moto, [cloudtrailTrails])).results(cloudtrailEnabled)).toEqual([[AUDIT, 'fail', 'excluded-sources']]);
    const advanced = { AdvancedEventSelectors: [{ Name: 'management', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] }] }] };
    await aws.client(CloudTrailClient).send(new PutEventSelectorsCommand({ TrailName: 'audit', ...advanced }));
    expect((await collectAws(aws.moto, [cloudtrailTrails])).results(cloudtrailEnabled)).toEqual([[AUDIT, 'fail', 'excluded-sources']]);
  });

  it('passes for a logging multi-region trail with log file validation', async () => {
    await trail('audit', { multiRegion: true, validation: true, start: true });
    const run = await collectAws(aws.moto, [cloudtrailTrails]);
    expect(run.results(cloudtrailEnabled)).toEqual([['arn:aws:cloudtrail:us-east-1:123456789012:trail/audit', 'pass', 'compliant']]);
  });

  it('fails for a trail that was never started, and with no trail', async () => {
    expect((await collectAws(aws.moto, [cloudtrailTrails])).results(cloudtrailEnabled)).toEqual([['cloudtrail', 'fail', 'no-trails']]);
    await trail('audit', { multiRegion: true, validation: true, start: false });
    expect((await collectAws(aws.moto, [cloudtrailTrails])).results(cloudtrailEnabled)).toEqual([['arn:aws:cloudtrail:us-east-1:123456789012:trail/audit', 'fail', 'not-logging']]);
  });

  it('fails for a single-region trail without validation', async () => {
    await trail('local', { multiRegion: false, validation: false, start: true });
    const run = await collectAws(aws.moto, [cloudtrailTrails]);
    expect(run.results(cloudtrailEnabled)).toEqual([['arn:aws:cloudtrail:us-east-1:123456789012:trail/local', 'fail', 'not-multi-region']]);
  });

  it('sees a multi-region trail homed in another region from the configured one', async () => {
    await aws.client(S3Client, 'eu-west-1').send(new CreateBucketCommand({ Bucket: 'org-logs', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const cloudtrail = aws.client(CloudTrailClient, 'eu-west-1');
    await cloudtrail.send(new CreateTrailCommand({ Name: 'org', S3BucketName: 'org-logs', IsMultiRegionTrail: true, EnableLogFileValidation: true }));
    await cloudtrail.send(new PutEventSelectorsCommand({ TrailName: 'org', ...ALL_MANAGEMENT_EVENTS }));
    await cloudtrail.send(new StartLoggingCommand({ Name: 'org' }));
    const run = await collectAws(aws.moto, [cloudtrailTrails]);
    expect(run.results(cloudtrailEnabled)).toEqual([['arn:aws:cloudtrail:eu-west-1:123456789012:trail/org', 'pass', 'compliant']]);
  });
});

describe('aws.cognito.* against moto', () => {
  it('user pools: MFA ON passes, OPTIONAL and OFF fail', async () => {
    const idp = aws.client(CognitoIdentityProviderClient);
    const on = await idp.send(new CreateUserPoolCommand({ PoolName: 'a-staff' }));
    await idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: on.UserPool!.Id!, SoftwareTokenMfaConfiguration: { Enabled: true }, MfaConfiguration: 'ON' }));
    const optional = await idp.send(new CreateUserPoolCommand({ PoolName: 'b-patients' }));
    await idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: optional.UserPool!.Id!, SoftwareTokenMfaConfiguration: { Enabled: true }, MfaConfiguration: 'OPTIONAL' }));
    const off = await idp.send(new CreateUserPoolCommand({ PoolName: 'c-legacy', MfaConfiguration: 'OFF' }));
    const run = await collectAws(aws.moto, [cognitoUserPools]);
    expect(run.results(cognitoMfa).sort()).toEqual(
      [
        [on.UserPool!.Id!, 'pass', 'required'],
        [optional.UserPool!.Id!, 'fail', 'optional'],
        [off.UserPool!.Id!, 'fail', 'off'],
      ].sort(),
    );
  });

  it('a configured user pool that does not exist fails', async () => {
    const run = await collectAws(aws.moto, [cognitoUserPools], { aws: { cognito: { userPools: ['us-east-1_doesnotexist'] } } });
    expect(run.results(cognitoMfa)).toEqual([['us-east-1_doesnotexist', 'fail', 'missing']]);
  });

  it('identity pools: unauthenticated access fails, authenticated only passes', async () => {
    const identity = aws.client(CognitoIdentityClient);
    const open = await identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'uploads', AllowUnauthenticatedIdentities: true }));
    const closed = await identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'staff', AllowUnauthenticatedIdentities: false }));
    const run = await collectAws(aws.moto, [cognitoIdentityPools, cognitoUserPools]);
    expect(run.results(cognitoUnauthenticated).sort()).toEqual(
      [
        [open.IdentityPoolId!, 'fail', 'unauthenticated-allowed'],
        [closed.IdentityPoolId!, 'pass', 'authenticated-only'],
      ].sort(),
    );
  });

  it('looks in every configured region, and describes each pool in its own region', async () => {
    const east = await aws.client(CognitoIdentityClient).send(new CreateIdentityPoolCommand({ IdentityPoolName: 'east', AllowUnauthenticatedIdentities: false }));
    const west = await aws.client(CognitoIdentityClient, 'eu-west-1').send(new CreateIdentityPoolCommand({ IdentityPoolName: 'west', AllowUnauthenticatedIdentities: true }));
    expect(west.IdentityPoolId).toMatch(/^eu-west-1:/);
    const run = await collectAws(aws.moto, [cognitoIdentityPools, cognitoUserPools], { aws: { regions: ['us-east-1', 'eu-west-1'] } });
    expect(run.results(cognitoUnauthenticated)).toEqual([
      [east.IdentityPoolId!, 'pass', 'authenticated-only'],
      [west.IdentityPoolId!, 'fail', 'unauthenticated-allowed'],
    ]);
  });

  it('no pools at all is not applicable', async () => {
    const run = await collectAws(aws.moto, [cognitoUserPools, cognitoIdentityPools]);
    expect(run.results(cognitoMfa)).toEqual([['cognito', 'not_applicable', 'no-user-pools']]);
    expect(run.results(cognitoUnauthenticated)).toEqual([['cognito', 'not_applicable', 'no-identity-pools']]);
  });
});

describe('read-only at run time', () => {
  it('every command the collectors sent above is read-only and granted by iam/readiness-policy.json', async () => {
    expect(sentActions.size).toBeGreaterThan(0);
    expect(await unsafeActions(sentActions)).toEqual([]);
  });
});
