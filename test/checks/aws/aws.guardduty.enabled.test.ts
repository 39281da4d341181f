import { describe, expect, it } from 'vitest';
import guardduty from '../../../checks/aws/aws.guardduty.enabled.js';
import { guardDutyDetectors } from '../../../src/facts/aws-detection.js';
import { renderedCommands, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

// As GetDetector reports them on AWS: the foundational sources, then each protection plan, ENABLED or DISABLED.
const feature = (name: string, status = 'ENABLED') => ({ name, status });
const FOUNDATIONAL = [feature('CLOUD_TRAIL'), feature('DNS_LOGS'), feature('FLOW_LOGS')];
const features = (s3: string, rds: string) => [...FOUNDATIONAL, feature('S3_DATA_EVENTS', s3), feature('EKS_AUDIT_LOGS', 'DISABLED'), feature('EBS_MALWARE_PROTECTION', 'DISABLED'), feature('RDS_LOGIN_EVENTS', rds)];
const detector = (over: Record<string, unknown> = {}) => ({ id: 'd1', status: 'ENABLED', features: features('ENABLED', 'ENABLED'), ...over });
const region = (...detectors: Record<string, unknown>[]) => ({ regions: [{ region: 'us-east-1', detectors }] });
const NO_DATABASES = { aws: { region: 'us-east-1', rds: { clusters: [], instances: [], minBackupRetentionDays: 30 } } };

describe('aws.guardduty.enabled: the protection plans for where PHI lives', () => {
  const cases: CheckCase[] = [
    { name: 'an enabled detector with S3 and RDS Protection on passes', facts: region(detector()), expected: [['us-east-1', 'pass', 'enabled']] },
    { name: 'hole: an enabled detector with S3 Protection off fails', facts: region(detector({ features: features('DISABLED', 'ENABLED') })), expected: [['us-east-1', 'fail', 'protection-off']] },
    { name: 'hole: an enabled detector with RDS Protection off fails', facts: region(detector({ features: features('ENABLED', 'DISABLED') })), expected: [['us-east-1', 'fail', 'protection-off']] },
    {
      name: 'RDS Protection off is not required when the config selects no database; S3 Protection still is',
      facts: region(detector({ features: features('ENABLED', 'DISABLED') })),
      config: NO_DATABASES,
      expected: [['us-east-1', 'pass', 'enabled']],
    },
    { name: 'S3 Protection off fails even when the config selects no database', facts: region(detector({ features: features('DISABLED', 'DISABLED') })), config: NO_DATABASES, expected: [['us-east-1', 'fail', 'protection-off']] },
    {
      name: 'hole: a snapshot from before features were read is unverified, not pass',
      facts: region({ id: 'd1', status: 'ENABLED' }),
      expected: [['us-east-1', 'unverified', 'features-not-collected']],
    },
    {
      name: 'hole: a detector whose GetDetector listed no protection plan (moto, or a plan not offered in the region) is unverified',
      facts: region(detector({ features: FOUNDATIONAL })),
      expected: [['us-east-1', 'unverified', 'features-not-reported']],
    },
    {
      name: 'one plan off and the other not reported fails on the one seen off',
      facts: region(detector({ features: [...FOUNDATIONAL, feature('S3_DATA_EVENTS', 'DISABLED')] })),
      expected: [['us-east-1', 'fail', 'protection-off']],
    },
    {
      name: 'of several detectors, the enabled one is judged, not a disabled one with the plans on',
      facts: region({ id: 'old', status: 'DISABLED', features: features('ENABLED', 'ENABLED') }, detector({ id: 'd1', features: features('DISABLED', 'ENABLED') })),
      expected: [['us-east-1', 'fail', 'protection-off']],
    },
    {
      name: 'several enabled detectors: one with every plan on passes',
      facts: region(detector({ id: 'a', features: features('DISABLED', 'ENABLED') }), detector({ id: 'b' })),
      expected: [['us-east-1', 'pass', 'enabled']],
    },
    {
      name: 'a detector enabled in a region the config does not assess does not cover the assessed one',
      facts: { regions: [{ region: 'us-west-2', detectors: [detector()] }] },
      config: { aws: { region: 'us-east-1' } },
      expected: [['us-east-1', 'unverified', 'region-not-read'], ['us-west-2', 'pass', 'enabled']],
    },
    { name: 'a disabled detector still fails', facts: region({ id: 'd1', status: 'DISABLED', features: features('ENABLED', 'ENABLED') }), expected: [['us-east-1', 'fail', 'disabled']] },
    { name: 'no detector still fails', facts: region(), expected: [['us-east-1', 'fail', 'no-detector']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(guardduty, c)).toEqual(c.expected));

  it('an older snapshot’s value (no features field) still parses', () => {
    const older = [{ region: 'us-east-1', detectors: [{ id: 'd1', status: 'ENABLED' }] }];
    expect(guardDutyDetectors.schema.parse(older)).toEqual(older);
  });

  it('the message names the plans that are off, and the fix turns them on in that detector', () => {
    const facts = region(detector({ features: features('DISABLED', 'DISABLED') }));
    expect(renderedMessages(guardduty, facts)).toEqual([
      'GuardDuty detector d1 is enabled in us-east-1 but its protection for where PHI lives is off: S3_DATA_EVENTS (S3 Protection), RDS_LOGIN_EVENTS (RDS Protection)',
    ]);
    expect(renderedCommands(guardduty, facts)).toEqual([
      `aws guardduty update-detector --detector-id d1 --features '[{"Name":"S3_DATA_EVENTS","Status":"ENABLED"},{"Name":"RDS_LOGIN_EVENTS","Status":"ENABLED"}]' --region us-east-1`,
    ]);
  });

  it('no detector: the fix creates one with S3 and RDS Protection on', () => {
    expect(renderedCommands(guardduty, region())).toEqual([
      `aws guardduty create-detector --enable --features '[{"Name":"S3_DATA_EVENTS","Status":"ENABLED"},{"Name":"RDS_LOGIN_EVENTS","Status":"ENABLED"}]' --region us-east-1`,
    ]);
  });
});
