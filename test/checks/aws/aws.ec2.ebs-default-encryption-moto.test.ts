import { EC2Client, EnableEbsEncryptionByDefaultCommand, ModifyEbsDefaultKmsKeyIdCommand } from '@aws-sdk/client-ec2';
import { CreateKeyCommand, DisableKeyCommand, KMSClient, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import ebsDefaultEncryption from '../../../checks/aws/aws.ec2.ebs-default-encryption.js';
import { ec2EbsEncryptionByDefault } from '../../../src/facts/aws-network.js';
import { collectAws, motoForFile } from '../../support/aws-collect.js';
import type { Answer } from '../../support/fault-proxy.js';
import { startRewritingProxy } from '../../support/rewriting-proxy.js';

// The real collector against moto_server (account 123456789012), the check on what it read. moto 5.2 keeps the
// default key ModifyEbsDefaultKmsKeyId sets but answers GetEbsDefaultKmsKeyId with a 500 (not implemented): the
// rewriting proxy answers it, in EC2's XML, with the key each test chose; DescribeKey is moto's own.

const env = motoForFile({ MOTO_EC2_LOAD_DEFAULT_AMIS: 'false' });
const FACTS = [ec2EbsEncryptionByDefault];

const defaultKeyAnswer = (keyId: string): Answer => ({
  status: 200,
  headers: { 'content-type': 'text/xml;charset=UTF-8' },
  body: `<?xml version="1.0" encoding="UTF-8"?><GetEbsDefaultKmsKeyIdResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId><kmsKeyId>${keyId}</kmsKeyId></GetEbsDefaultKmsKeyIdResponse>`,
});

/** Turns encryption by default on in us-east-1 with `keyId` as the default key, then collects through the proxy. */
async function collectWithDefaultKey(keyId: string, described: string[] = []) {
  await env.client(EC2Client).send(new EnableEbsEncryptionByDefaultCommand({}));
  const proxy = await startRewritingProxy(env.moto.endpoint, {
    'ec2:GetEbsDefaultKmsKeyId': { reply: () => defaultKeyAnswer(keyId) },
    'kms:DescribeKey': { answer: (answer, request) => (described.push(request), answer) },
  });
  try {
    return await collectAws({ endpoint: proxy.endpoint }, FACTS);
  } finally {
    await proxy.close();
  }
}

async function customerKey(): Promise<{ KeyId: string; Arn: string }> {
  const key = (await env.client(KMSClient).send(new CreateKeyCommand({ Description: 'ebs default' }))).KeyMetadata!;
  // moto records it as the region's default key, as AWS would.
  await env.client(EC2Client).send(new ModifyEbsDefaultKmsKeyIdCommand({ KmsKeyId: key.Arn }));
  return { KeyId: key.KeyId!, Arn: key.Arn! };
}

describe('aws.ec2.ebs-default-encryption against moto: the default KMS key', () => {
  it('a disabled customer default key fails: new encrypted volumes cannot be created', async () => {
    const key = await customerKey();
    await env.client(KMSClient).send(new DisableKeyCommand({ KeyId: key.KeyId }));
    expect((await collectWithDefaultKey(key.Arn)).results(ebsDefaultEncryption)).toEqual([['us-east-1', 'fail', 'key-unusable']]);
  });

  it('a default key pending deletion fails: what it encrypts becomes unreadable', async () => {
    const key = await customerKey();
    await env.client(KMSClient).send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    expect((await collectWithDefaultKey(key.Arn)).results(ebsDefaultEncryption)).toEqual([['us-east-1', 'fail', 'key-unusable']]);
  });

  it('a default key that does not exist (deleted, or a mistyped alias) fails', async () => {
    expect((await collectWithDefaultKey('arn:aws:kms:us-east-1:123456789012:alias/ebs-gone')).results(ebsDefaultEncryption)).toEqual([['us-east-1', 'fail', 'key-missing']]);
  });

  it('a default key in another account is unverified: whether it stays usable is decided there', async () => {
    const run = await collectWithDefaultKey('arn:aws:kms:us-east-1:999988887777:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(run.results(ebsDefaultEncryption)).toEqual([['us-east-1', 'unverified', 'key-other-account']]);
  });

  it('an enabled customer default key of the account passes', async () => {
    const key = await customerKey();
    expect((await collectWithDefaultKey(key.Arn)).results(ebsDefaultEncryption)).toEqual([['us-east-1', 'pass', 'enabled']]);
  });

  it('the AWS managed key (alias/aws/ebs) passes without DescribeKey: describing the alias before first use would create the key', async () => {
    const described: string[] = [];
    expect((await collectWithDefaultKey('alias/aws/ebs', described)).results(ebsDefaultEncryption)).toEqual([['us-east-1', 'pass', 'enabled']]);
    expect(described).toEqual([]);
  });

  it('a default key that cannot be read is unverified; a region where encryption by default is off still fails', async () => {
    await env.client(EC2Client).send(new EnableEbsEncryptionByDefaultCommand({}));
    const denied: Answer = { status: 403, headers: { 'content-type': 'text/xml' }, body: '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>r-2</RequestID></Response>' };
    const proxy = await startRewritingProxy(env.moto.endpoint, { 'ec2:GetEbsDefaultKmsKeyId': { reply: () => denied } });
    try {
      const run = await collectAws({ endpoint: proxy.endpoint }, FACTS, { aws: { regions: ['us-east-1', 'eu-west-1'] } });
      expect(run.results(ebsDefaultEncryption)).toEqual([['us-east-1', 'unverified', 'key-not-read'], ['eu-west-1', 'fail', 'disabled']]);
    } finally {
      await proxy.close();
    }
  });
});
