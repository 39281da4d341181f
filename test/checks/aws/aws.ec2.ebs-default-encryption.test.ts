import { describe, expect, it } from 'vitest';
import ebsDefaultEncryption from '../../../checks/aws/aws.ec2.ebs-default-encryption.js';
import { renderedCommands, runCase, type CheckCase } from '../../support/check-tester.js';

// Facts shaped as the EC2 collector writes them: `defaultKey` is read only where encryption by default is on,
// and is absent in snapshots from before it was collected.

const OWNER = '123456789012';
const ARN = `arn:aws:kms:us-east-1:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const FOREIGN = ARN.replace(OWNER, '999988887777');
const key = (over: Record<string, unknown> = {}) => ({ id: ARN, arn: ARN, manager: 'CUSTOMER', state: 'Enabled', error: null, otherAccount: null, ...over });
const region = (over: Record<string, unknown> = {}) => ({ region: 'us-east-1', enabled: true, defaultKey: key(), ...over });
const config = { aws: { regions: ['us-east-1'] } };

describe('aws.ec2.ebs-default-encryption', () => {
  const cases: CheckCase[] = [
    { name: 'on, with an enabled key of the account, passes', facts: { regions: [region()] }, config, expected: [['us-east-1', 'pass', 'enabled']] },
    { name: 'on, with the AWS managed key (not described), passes', facts: { regions: [region({ defaultKey: key({ id: 'alias/aws/ebs', arn: null, manager: 'AWS', state: null }) })] }, config, expected: [['us-east-1', 'pass', 'enabled']] },
    { name: 'off fails', facts: { regions: [region({ enabled: false, defaultKey: null })] }, config, expected: [['us-east-1', 'fail', 'disabled']] },
    { name: 'an assessed region not read is unverified', facts: { regions: [region()] }, config: { aws: { regions: ['us-east-1', 'eu-west-1'] } }, expected: [['us-east-1', 'pass', 'enabled'], ['eu-west-1', 'unverified', 'region-not-read']] },
    { name: 'on, in a snapshot from before the key was collected, is unverified, not a pass', facts: { regions: [{ region: 'us-east-1', enabled: true }] }, config, expected: [['us-east-1', 'unverified', 'key-not-read']] },
    { name: 'on, with a key that could not be read, is unverified', facts: { regions: [region({ defaultKey: key({ arn: null, manager: null, state: null, error: 'AccessDenied calling kms:DescribeKey: denied' }) })] }, config, expected: [['us-east-1', 'unverified', 'key-not-read']] },
    { name: 'a disabled key fails', facts: { regions: [region({ defaultKey: key({ state: 'Disabled' }) })] }, config, expected: [['us-east-1', 'fail', 'key-unusable']] },
    { name: 'a key pending deletion fails', facts: { regions: [region({ defaultKey: key({ state: 'PendingDeletion' }) })] }, config, expected: [['us-east-1', 'fail', 'key-unusable']] },
    { name: 'a key awaiting its imported material fails', facts: { regions: [region({ defaultKey: key({ state: 'PendingImport' }) })] }, config, expected: [['us-east-1', 'fail', 'key-unusable']] },
    { name: 'a key that does not exist fails', facts: { regions: [region({ defaultKey: key({ id: 'alias/gone', arn: null, manager: null, state: 'NotFound' }) })] }, config, expected: [['us-east-1', 'fail', 'key-missing']] },
    { name: 'an enabled key of another account is unverified', facts: { regions: [region({ defaultKey: key({ id: FOREIGN, arn: FOREIGN, otherAccount: '999988887777' }) })] }, config, expected: [['us-east-1', 'unverified', 'key-other-account']] },
    { name: 'a key of another account that was not found is unverified, not "missing"', facts: { regions: [region({ defaultKey: key({ id: FOREIGN, arn: null, manager: null, state: 'NotFound', otherAccount: '999988887777' }) })] }, config, expected: [['us-east-1', 'unverified', 'key-other-account']] },
    { name: 'a disabled key of another account fails all the same', facts: { regions: [region({ defaultKey: key({ arn: FOREIGN, state: 'Disabled', otherAccount: '999988887777' }) })] }, config, expected: [['us-east-1', 'fail', 'key-unusable']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(ebsDefaultEncryption, c)).toEqual(c.expected));

  it('each failure gets the command that fixes it', () => {
    const regions = [
      region({ region: 'us-east-1', enabled: false, defaultKey: null }),
      region({ region: 'us-east-2', defaultKey: key({ state: 'Disabled' }) }),
      region({ region: 'us-west-1', defaultKey: key({ state: 'PendingDeletion' }) }),
      region({ region: 'us-west-2', defaultKey: key({ id: 'alias/gone', arn: null, state: 'NotFound' }) }),
    ];
    expect(renderedCommands(ebsDefaultEncryption, { regions }, { aws: { regions: regions.map((r) => r.region) } })).toEqual([
      'aws ec2 enable-ebs-encryption-by-default --region us-east-1',
      `aws kms enable-key --key-id ${ARN} --region us-east-2`,
      `aws kms cancel-key-deletion --key-id ${ARN} --region us-west-1 && aws kms enable-key --key-id ${ARN} --region us-west-1`,
      'aws ec2 reset-ebs-default-kms-key-id --region us-west-2',
    ]);
  });
});
