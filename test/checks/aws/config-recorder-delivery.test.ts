import { describe, expect, it } from 'vitest';
import configRecorder from '../../../checks/aws/aws.config.recorder.js';
import { configRecorders } from '../../../src/facts/aws-detection.js';
import { renderedCommands, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

const recorder = { name: 'default', recording: true, allSupported: true, lastStatus: 'Success', roleArn: 'arn:aws:iam::1:role/config', includesGlobalTypes: true };
const channel = (over: Record<string, unknown> = {}) => ({ name: 'default', historyLastStatus: 'Success', historyLastErrorCode: null, historyLastErrorMessage: null, ...over });
const delivered = (...channels: ReturnType<typeof channel>[]) => ({ read: true, channels });
const region = (deliveryChannels?: unknown) => ({ regions: [{ region: 'us-east-1', recorders: [recorder], ...(deliveryChannels === undefined ? {} : { deliveryChannels }) }] });

// A recorder that records but whose channel cannot write to the bucket keeps no history an auditor can read.
describe('aws.config.recorder: delivery of the history to the bucket', () => {
  const failure = channel({ historyLastStatus: 'Failure', historyLastErrorCode: 'AccessDenied', historyLastErrorMessage: 'Access Denied' });
  const cases: CheckCase[] = [
    { name: 'history delivered passes', facts: region(delivered(channel())), expected: [['us-east-1', 'pass', 'recording']] },
    // A new channel has attempted nothing yet, as a just-started recorder is Pending.
    { name: 'nothing delivered yet (Not_Applicable) passes', facts: region(delivered(channel({ historyLastStatus: 'Not_Applicable' }))), expected: [['us-east-1', 'pass', 'recording']] },
    { name: 'hole: the last history delivery failed fails', facts: region(delivered(failure)), expected: [['us-east-1', 'fail', 'delivery-failed']] },
    { name: 'hole: no delivery channel at all fails', facts: region(delivered()), expected: [['us-east-1', 'fail', 'no-delivery-channel']] },
    { name: 'hole: the delivery status not read is unverified', facts: region({ read: false, reason: 'config:DescribeDeliveryChannelStatus denied' }), expected: [['us-east-1', 'unverified', 'delivery-not-read']] },
    { name: 'hole: an older snapshot without the delivery status is unverified', facts: region(), expected: [['us-east-1', 'unverified', 'delivery-not-collected']] },
    { name: 'a stopped recorder fails as stopped, whatever its channel', facts: { regions: [{ region: 'us-east-1', recorders: [{ ...recorder, recording: false }], deliveryChannels: delivered(failure) }] }, expected: [['us-east-1', 'fail', 'not-recording']] },
    {
      name: 'IAM’s types recorded by a region whose delivery failed: that region fails, the other is not failed for IAM',
      facts: { regions: [{ region: 'us-east-1', recorders: [recorder], deliveryChannels: delivered(failure) }, { region: 'eu-west-1', recorders: [{ ...recorder, includesGlobalTypes: false }], deliveryChannels: delivered(channel()) }] },
      config: { aws: { regions: ['us-east-1', 'eu-west-1'] } },
      expected: [['us-east-1', 'fail', 'delivery-failed'], ['eu-west-1', 'pass', 'recording']],
    },
    {
      name: 'IAM’s types left out where the delivery is not read: the missing types fail',
      facts: { regions: [{ region: 'us-east-1', recorders: [{ ...recorder, includesGlobalTypes: false }], deliveryChannels: { read: false, reason: 'denied' } }] },
      expected: [['us-east-1', 'fail', 'no-global-types']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(configRecorder, c)).toEqual(c.expected));

  it('the failure names the error, and the command shows the channel’s status', () => {
    const facts = region(delivered(channel({ historyLastStatus: 'Failure', historyLastErrorCode: 'AccessDenied', historyLastErrorMessage: 'Access Denied' })));
    expect(renderedMessages(configRecorder, facts)[0]).toContain('AccessDenied');
    expect(renderedCommands(configRecorder, facts)[0]).toBe('aws configservice describe-delivery-channel-status --delivery-channel-names default --region us-east-1');
  });

  it('the reason the status was not read is given', () => {
    expect(renderedMessages(configRecorder, region({ read: false, reason: 'config:DescribeDeliveryChannelStatus denied' }))[0]).toContain('config:DescribeDeliveryChannelStatus denied');
  });

  it('an older snapshot without the delivery status still parses', () => {
    expect(configRecorders.schema.parse([{ region: 'us-east-1', recorders: [recorder] }])[0]?.deliveryChannels).toBeUndefined();
  });
});
