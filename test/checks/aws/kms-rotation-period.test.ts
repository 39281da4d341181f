import { describe, expect, it } from 'vitest';
import kmsRotation from '../../../checks/aws/aws.kms.rotation.js';
import { renderedCommands, runCase, type CheckCase } from '../../support/check-tester.js';

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/k1';
const key = (over: Record<string, unknown> = {}) => ({ id: 'k1', arn: ARN, region: 'us-east-1', manager: 'CUSTOMER', state: 'Enabled', keySpec: 'SYMMETRIC_DEFAULT', origin: 'AWS_KMS', rotationEnabled: true, rotationPeriodDays: 365, ...over });
const facts = (k: Record<string, unknown>) => ({ keys: [k], clusters: [], instances: [], encryption: [{ bucket: 'phi', rules: [{ algorithm: 'aws:kms', kmsKeyId: ARN, bucketKeyEnabled: true }] }] });
const withoutPeriod = () => {
  const { rotationPeriodDays: _, ...rest } = key();
  return rest;
};

describe('aws.kms.rotation: the rotation period', () => {
  const cases: CheckCase[] = [
    { name: 'rotation on with a yearly period passes', facts: facts(key()), expected: [[ARN, 'pass', 'rotating']] },
    { name: 'rotation on every 2560 days (7 years) fails', facts: facts(key({ rotationPeriodDays: 2560 })), expected: [[ARN, 'fail', 'rotation-too-slow']] },
    { name: 'a period GetKeyRotationStatus omits is the documented default, 365 days', facts: facts(key({ rotationPeriodDays: null })), expected: [[ARN, 'pass', 'rotating']] },
    { name: 'a snapshot from before the period was collected is unverified', facts: facts(withoutPeriod()), expected: [[ARN, 'unverified', 'rotation-period-not-collected']] },
    { name: 'maxRotationDays sets the longest period accepted', facts: facts(key()), options: { maxRotationDays: 180 }, expected: [[ARN, 'fail', 'rotation-too-slow']] },
    { name: 'maxRotationDays also applies to the default period', facts: facts(key({ rotationPeriodDays: null })), options: { maxRotationDays: 180 }, expected: [[ARN, 'fail', 'rotation-too-slow']] },
    { name: 'a period within maxRotationDays passes', facts: facts(key({ rotationPeriodDays: 90 })), options: { maxRotationDays: 180 }, expected: [[ARN, 'pass', 'rotating']] },
    { name: 'rotation off still fails, whatever the period field', facts: facts(key({ rotationEnabled: false, rotationPeriodDays: null })), expected: [[ARN, 'fail', 'not-rotating']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(kmsRotation, c)).toEqual(c.expected));

  it('the fix of a too slow rotation sets a yearly period', () => {
    expect(renderedCommands(kmsRotation, facts(key({ rotationPeriodDays: 2560 })))).toEqual(['aws kms enable-key-rotation --key-id k1 --rotation-period-in-days 365 --region us-east-1']);
  });
});
