import { describe, expect, it } from 'vitest';
import securityhub from '../../../checks/aws/aws.securityhub.enabled.js';
import { securityHubHubs } from '../../../src/facts/aws-detection.js';
import { renderedCommands, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

const FSBP = 'arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0';
const CIS = 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0';
const standard = (standardsArn: string, status: string, statusReason: string | null = null) => ({ standardsArn, subscriptionArn: `${standardsArn}-subscription`, status, statusReason });
const hub = (subscriptions?: ReturnType<typeof standard>[], over: Record<string, unknown> = {}) => ({
  hubs: [{ region: 'us-east-1', enabled: true, hubArn: 'arn:aws:securityhub:us-east-1:123456789012:hub/default', ...(subscriptions ? { standards: { read: true, subscriptions } } : {}), ...over }],
});

describe('aws.securityhub.enabled: the standards the hub evaluates', () => {
  const cases: CheckCase[] = [
    { name: 'a READY standard passes', facts: hub([standard(FSBP, 'READY')]), expected: [['us-east-1', 'pass', 'enabled']] },
    { name: 'one READY beside a FAILED one passes', facts: hub([standard(CIS, 'FAILED'), standard(FSBP, 'READY')]), expected: [['us-east-1', 'pass', 'enabled']] },
    { name: 'no standard subscribed fails', facts: hub([]), expected: [['us-east-1', 'fail', 'no-standards']] },
    { name: 'INCOMPLETE, FAILED and DELETING only fails', facts: hub([standard(FSBP, 'INCOMPLETE', 'NO_AVAILABLE_CONFIGURATION_RECORDER'), standard(CIS, 'DELETING')]), expected: [['us-east-1', 'fail', 'no-standards']] },
    { name: 'PENDING only is unverified', facts: hub([standard(FSBP, 'PENDING')]), expected: [['us-east-1', 'unverified', 'standards-pending']] },
    { name: 'PENDING beside a FAILED one, none READY, is unverified', facts: hub([standard(FSBP, 'PENDING'), standard(CIS, 'FAILED')]), expected: [['us-east-1', 'unverified', 'standards-pending']] },
    { name: 'standards that could not be read are unverified', facts: hub(undefined, { standards: { read: false, reason: 'AccessDeniedException calling securityhub:GetEnabledStandards' } }), expected: [['us-east-1', 'unverified', 'standards-not-read']] },
    { name: 'an older snapshot without the standards is unverified', facts: hub(), expected: [['us-east-1', 'unverified', 'standards-not-collected']] },
    { name: 'a hub that is off still fails', facts: { hubs: [{ region: 'us-east-1', enabled: false, hubArn: null }] }, expected: [['us-east-1', 'fail', 'disabled']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(securityhub, c)).toEqual(c.expected));

  it('an older snapshot’s value (no standards field) still parses', () => {
    expect(securityHubHubs.schema.parse(hub().hubs)).toEqual(hub().hubs);
  });

  it('the messages name the standards there and their status', () => {
    expect(renderedMessages(securityhub, hub([standard(FSBP, 'INCOMPLETE', 'NO_AVAILABLE_CONFIGURATION_RECORDER'), standard(CIS, 'DELETING')]))).toEqual([
      'Security Hub is on in us-east-1 but no security standard is READY, so no control is evaluated: aws-foundational-security-best-practices/v/1.0.0 (INCOMPLETE: NO_AVAILABLE_CONFIGURATION_RECORDER), cis-aws-foundations-benchmark/v/1.2.0 (DELETING)',
    ]);
    expect(renderedMessages(securityhub, hub([]))).toEqual(['Security Hub is on in us-east-1 but no security standard is READY, so no control is evaluated: no standard is subscribed']);
    expect(renderedMessages(securityhub, hub([standard(CIS, 'FAILED'), standard(FSBP, 'READY')]))).toEqual(['Security Hub is enabled in us-east-1, evaluating aws-foundational-security-best-practices/v/1.0.0']);
  });

  it('no standard READY: the fix enables AWS Foundational Security Best Practices in the hub’s partition and region', () => {
    expect(renderedCommands(securityhub, hub([]))).toEqual([
      `aws securityhub batch-enable-standards --standards-subscription-requests '[{"StandardsArn":"arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0"}]' --region us-east-1`,
    ]);
    const gov = { hubs: [{ region: 'us-gov-west-1', enabled: true, hubArn: 'arn:aws-us-gov:securityhub:us-gov-west-1:123456789012:hub/default', standards: { read: true, subscriptions: [] } }] };
    expect(renderedCommands(securityhub, gov, { aws: { region: 'us-gov-west-1' } })[0]).toContain('"StandardsArn":"arn:aws-us-gov:securityhub:us-gov-west-1::standards/aws-foundational-security-best-practices/v/1.0.0"');
  });

  it('a hub that is off: the fix enables it with the default standards; an unverified result has no command', () => {
    expect(renderedCommands(securityhub, { hubs: [{ region: 'us-east-1', enabled: false, hubArn: null }] })).toEqual(['aws securityhub enable-security-hub --enable-default-standards --region us-east-1']);
    expect(renderedCommands(securityhub, hub([standard(FSBP, 'PENDING')]))).toEqual([undefined]);
  });
});
