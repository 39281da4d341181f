import { describe, expect, it } from 'vitest';
import configRecorder from '../../../checks/aws/aws.config.recorder.js';
import { placeholdersIn } from '../../../src/command-review.js';
import { renderedCommands, runCase, type CheckCase } from '../../support/check-tester.js';

const recorder = (over: Record<string, unknown> = {}) => ({ name: 'default', recording: true, allSupported: true, lastStatus: 'Success', roleArn: 'arn:aws:iam::1:role/config', includesGlobalTypes: true, ...over });
const delivered = { read: true, channels: [{ name: 'default', historyLastStatus: 'Success', historyLastErrorCode: null, historyLastErrorMessage: null }] };
const region = (...recorders: ReturnType<typeof recorder>[]) => ({ regions: [{ region: 'us-east-1', recorders, deliveryChannels: delivered }] });

describe('aws.config.recorder', () => {
  const cases: CheckCase[] = [
    { name: 'recording every type passes', facts: region(recorder()), expected: [['us-east-1', 'pass', 'recording']] },
    { name: 'just started (Pending) passes', facts: region(recorder({ lastStatus: 'Pending' })), expected: [['us-east-1', 'pass', 'recording']] },
    { name: 'no recorder fails', facts: region(), expected: [['us-east-1', 'fail', 'no-recorder']] },
    { name: 'a stopped recorder fails', facts: region(recorder({ recording: false })), expected: [['us-east-1', 'fail', 'not-recording']] },
    { name: 'selected types only fails', facts: region(recorder({ allSupported: false })), expected: [['us-east-1', 'fail', 'partial']] },
    // On, but its last recording failed (a role without permission): nothing is being recorded.
    { name: 'a recorder that is on but failing fails', facts: region(recorder({ lastStatus: 'Failure' })), expected: [['us-east-1', 'fail', 'recording-failed']] },
    // Nor did it read the global setting: IAM's types are not known to be recorded.
    { name: 'an older snapshot without the role still reads', facts: region({ name: 'default', recording: true, allSupported: true, lastStatus: null } as never), expected: [['us-east-1', 'unverified', 'global-types-not-read']] },
    // IAM's users, roles and policies recorded nowhere: who was granted access has no history.
    { name: 'every regional type but not IAM’s, in the only region, fails', facts: region(recorder({ includesGlobalTypes: false })), expected: [['us-east-1', 'fail', 'no-global-types']] },
    {
      name: 'IAM’s types recorded in one region are enough for all',
      facts: { regions: [{ region: 'us-east-1', recorders: [recorder({ includesGlobalTypes: false })], deliveryChannels: delivered }, { region: 'eu-west-1', recorders: [recorder()], deliveryChannels: delivered }] },
      config: { aws: { regions: ['us-east-1', 'eu-west-1'] } },
      expected: [['us-east-1', 'pass', 'recording'], ['eu-west-1', 'pass', 'recording']],
    },
    // Not known to record IAM's types anywhere: neither failed nor passed on them.
    { name: 'an older snapshot that did not read the global setting is unverified on it, not failed', facts: region(recorder({ includesGlobalTypes: null })), expected: [['us-east-1', 'unverified', 'global-types-not-read']] },
    {
      name: 'hole: an older snapshot, one region leaving IAM’s types out and the other not read, is unverified where unread',
      facts: { regions: [{ region: 'us-east-1', recorders: [recorder({ includesGlobalTypes: false })], deliveryChannels: delivered }, { region: 'eu-west-1', recorders: [recorder({ includesGlobalTypes: null })], deliveryChannels: delivered }] },
      config: { aws: { regions: ['us-east-1', 'eu-west-1'] } },
      expected: [['us-east-1', 'pass', 'recording'], ['eu-west-1', 'unverified', 'global-types-not-read']],
    },
    {
      name: 'an unread setting beside a region known to record IAM’s types passes',
      facts: { regions: [{ region: 'us-east-1', recorders: [recorder()], deliveryChannels: delivered }, { region: 'eu-west-1', recorders: [recorder({ includesGlobalTypes: null })], deliveryChannels: delivered }] },
      config: { aws: { regions: ['us-east-1', 'eu-west-1'] } },
      expected: [['us-east-1', 'pass', 'recording'], ['eu-west-1', 'pass', 'recording']],
    },
    { name: 'a region not read is unverified', facts: { regions: [] }, config: { aws: { region: 'us-east-1' } }, expected: [['us-east-1', 'unverified', 'region-not-read']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(configRecorder, c)).toEqual(c.expected));

  it('sets up recorder, delivery channel and start with the role and bucket as choices', () => {
    const [command] = renderedCommands(configRecorder, region());
    expect(placeholdersIn(command!)).toEqual(['<config-role-arn>', '<config-bucket>']);
    expect(command).toContain('allSupported=true,includeGlobalResourceTypes=true');
    expect(command).toMatch(/put-configuration-recorder .* && .*put-delivery-channel .* && .*start-configuration-recorder --configuration-recorder-name default/);
  });

  it('no region recording IAM’s types: the fix adds them to the recorder, with its role; a region set up beside one that records them does not add them again', () => {
    const [command] = renderedCommands(configRecorder, region(recorder({ includesGlobalTypes: false })));
    expect(command).toBe(
      `aws configservice put-configuration-recorder --configuration-recorder '{"name":"default","roleARN":"arn:aws:iam::1:role/config"}' --recording-group allSupported=true,includeGlobalResourceTypes=true --region us-east-1`,
    );
    const beside = { regions: [{ region: 'us-east-1', recorders: [recorder()], deliveryChannels: delivered }, { region: 'eu-west-1', recorders: [] }] };
    const commands = renderedCommands(configRecorder, beside, { aws: { regions: ['us-east-1', 'eu-west-1'] } });
    expect(commands[1]).toContain('includeGlobalResourceTypes=false --region eu-west-1');
  });

  it('a stopped recorder of selected types is made to record every type with its own role, then started', () => {
    const [command] = renderedCommands(configRecorder, region(recorder({ name: "it's", recording: false, allSupported: false })));
    expect(command).toBe(
      `aws configservice put-configuration-recorder --configuration-recorder '{"name":"it'\\''s","roleARN":"arn:aws:iam::1:role/config"}' --recording-group allSupported=true,includeGlobalResourceTypes=true --region us-east-1 && aws configservice start-configuration-recorder --configuration-recorder-name 'it'\\''s' --region us-east-1`,
    );
  });
});
