import { describe, expect, it } from 'vitest';
import configRecorder from '../../../checks/aws/aws.config.recorder.js';
import { placeholdersIn } from '../../../src/command-review.js';
import { renderedCommands, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

const recorder = (over: Record<string, unknown> = {}) => ({ name: 'default', recording: true, allSupported: true, lastStatus: 'Success', roleArn: 'arn:aws:iam::1:role/config', includesGlobalTypes: true, ...over });
const delivered = { read: true, channels: [{ name: 'default', historyLastStatus: 'Success', historyLastErrorCode: null, historyLastErrorMessage: null }] };
const regions = (entries: Record<string, ReturnType<typeof recorder>[]>) => ({ regions: Object.entries(entries).map(([region, recorders]) => ({ region, recorders, deliveryChannels: delivered })) });

// AWS Config records IAM's users, roles and policies only in Regions it served before February 2022: in a later one
// includeGlobalResourceTypes is accepted, returned as true by DescribeConfigurationRecorders, and records nothing of them.
describe('aws.config.recorder: IAM’s global types where AWS Config cannot record them', () => {
  const cases: CheckCase[] = [
    {
      name: 'asked for only in Zurich, left out in us-east-1: us-east-1 fails',
      facts: regions({ 'us-east-1': [recorder({ includesGlobalTypes: false })], 'eu-central-2': [recorder()] }),
      config: { aws: { regions: ['us-east-1', 'eu-central-2'] } },
      expected: [['us-east-1', 'fail', 'no-global-types'], ['eu-central-2', 'pass', 'recording']],
    },
    { name: 'asked for in Tel Aviv, the only region, fails', facts: regions({ 'il-central-1': [recorder()] }), expected: [['il-central-1', 'fail', 'global-types-unrecordable']] },
    { name: 'a region this list does not know counts as a new one', facts: regions({ 'ap-southeast-7': [recorder()] }), expected: [['ap-southeast-7', 'fail', 'global-types-unrecordable']] },
    {
      name: 'recorded in eu-west-1 is enough for Zurich too',
      facts: regions({ 'eu-central-2': [recorder()], 'eu-west-1': [recorder()] }),
      config: { aws: { regions: ['eu-central-2', 'eu-west-1'] } },
      expected: [['eu-central-2', 'pass', 'recording'], ['eu-west-1', 'pass', 'recording']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(configRecorder, c)).toEqual(c.expected));

  it('the fix adds them to the recorder of the region that can record them', () => {
    const facts = regions({ 'us-east-1': [recorder({ includesGlobalTypes: false })], 'eu-central-2': [recorder()] });
    const [command] = renderedCommands(configRecorder, facts, { aws: { regions: ['us-east-1', 'eu-central-2'] } });
    expect(command).toBe(
      `aws configservice put-configuration-recorder --configuration-recorder '{"name":"default","roleARN":"arn:aws:iam::1:role/config"}' --recording-group allSupported=true,includeGlobalResourceTypes=true --region us-east-1`,
    );
  });

  it('with no assessed region able to record them, the fix sets them up in a region of the user’s choice', () => {
    const facts = regions({ 'il-central-1': [recorder()] });
    const [command] = renderedCommands(configRecorder, facts);
    expect(placeholdersIn(command!)).toEqual(['<config-role-arn>', '<region-recording-iam>', '<config-bucket>']);
    expect(command).toContain('includeGlobalResourceTypes=true');
    expect(renderedMessages(configRecorder, facts)[0]).toContain('February 2022');
  });

  it('a recorder set up or completed in a new region does not ask for them there', () => {
    expect(renderedCommands(configRecorder, regions({ 'eu-central-2': [] }))[0]).toContain('includeGlobalResourceTypes=false --region eu-central-2');
    expect(renderedCommands(configRecorder, regions({ 'eu-central-2': [recorder({ allSupported: false, includesGlobalTypes: false })] }))[0]).toContain('includeGlobalResourceTypes=false --region eu-central-2');
  });
});
