import { EC2Client, EnableEbsEncryptionByDefaultCommand } from '@aws-sdk/client-ec2';
import { CreateKeyCommand, EnableKeyRotationCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateDBClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import ebsDefaultEncryption from '../../checks/aws/aws.ec2.ebs-default-encryption.js';
import kmsRotation from '../../checks/aws/aws.kms.rotation.js';
import { rdsClusters, rdsInstances, s3Encryption } from '../../src/facts/aws.js';
import { ec2EbsEncryptionByDefault, kmsKeys } from '../../src/facts/aws-network.js';
import { collectAws, sentActions, useMotoCredentials } from '../support/aws-collect.js';
import { unsafeActions } from '../support/iam-actions.js';
import { startMoto, type Moto } from '../support/moto.js';

let moto: Moto;
let kms: KMSClient;
let rds: RDSClient;
let ec2: EC2Client;

beforeAll(async () => {
  // Extended: plain moto answers GetEbsDefaultKmsKeyId with a 500.
  moto = await startMoto({ MOTO_EC2_LOAD_DEFAULT_AMIS: 'false' }, { extended: true });
  useMotoCredentials(moto);
  kms = new KMSClient({ region: 'us-east-1', endpoint: moto.endpoint });
  rds = new RDSClient({ region: 'us-east-1', endpoint: moto.endpoint });
  ec2 = new EC2Client({ region: 'us-east-1', endpoint: moto.endpoint });
});
afterAll(async () => {
  for (const c of [kms, rds, ec2]) c?.destroy();
  await moto?.stop();
});
beforeEach(() => moto.reset());

const credentials = { MasterUsername: 'admin_user', MasterUserPassword: 'not-a-real-password-1' };

describe('aws.kms.rotation against moto', () => {
  it('fails the key of a database that does not rotate, passes once rotation is on; an unused key is not assessed', async () => {
    const key = (await kms.send(new CreateKeyCommand({ Description: 'phi' }))).KeyMetadata!;
    await kms.send(new CreateKeyCommand({ Description: 'unused' }));
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'db', Engine: 'aurora-postgresql', EngineVersion: '15.3', StorageEncrypted: true, KmsKeyId: key.Arn, ...credentials }));
    const facts = [kmsKeys, rdsClusters, rdsInstances, s3Encryption];
    expect((await collectAws(moto, facts)).results(kmsRotation)).toEqual([[key.Arn!, 'fail', 'not-rotating']]);
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId }));
    expect((await collectAws(moto, facts)).results(kmsRotation)).toEqual([[key.Arn!, 'pass', 'rotating']]);
  });

  it('nothing encrypted with a KMS key is not applicable', async () => {
    expect((await collectAws(moto, [kmsKeys, rdsClusters, rdsInstances, s3Encryption])).results(kmsRotation)).toEqual([['kms', 'not_applicable', 'no-keys-used']]);
  });
});

describe('aws.ec2.ebs-default-encryption against moto', () => {
  it('fails where it is off (the AWS default), passes where it was turned on', async () => {
    await ec2.send(new EnableEbsEncryptionByDefaultCommand({}));
    const run = await collectAws(moto, [ec2EbsEncryptionByDefault], { aws: { regions: ['us-east-1', 'eu-west-1'] } });
    expect(run.results(ebsDefaultEncryption)).toEqual([['us-east-1', 'pass', 'enabled'], ['eu-west-1', 'fail', 'disabled']]);
  });
});

describe('read-only at run time', () => {
  it('every command the collectors sent above is read-only and granted by iam/readiness-policy.json', async () => {
    expect(sentActions.size).toBeGreaterThan(0);
    expect(await unsafeActions(sentActions)).toEqual([]);
  });
});
