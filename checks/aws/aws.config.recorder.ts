import { defineCheck, type FactValue, type Finding } from '../../src/model.js';
import { configRecorders } from '../../src/facts/aws-detection.js';
import { assessedRegions } from '../lib/regions.js';
import { shellQuote } from '../lib/shell.js';

type Recorder = FactValue<typeof configRecorders>[number]['recorders'][number];

/** AWS Config answers `Pending`, `Success` or `Failure` (moto: `PENDING`). */
const failed = (recorder: Recorder) => recorder.lastStatus?.toLowerCase() === 'failure';

/** Records every supported type, IAM's global ones included (as the console's 1-click setup does). */
const ALL_SUPPORTED = `--recording-group allSupported=true,includeGlobalResourceTypes=true`;

/**
 * A recorder, its delivery channel and the start, as the console's setup makes them. The role (the service-linked
 * AWSServiceRoleForConfig, or one of your own) and the bucket (its policy must let AWS Config write) are choices.
 */
function setUp(region: string): string {
  const r = `--region ${shellQuote(region)}`;
  return [
    `aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=<config-role-arn> ${ALL_SUPPORTED} ${r}`,
    `aws configservice put-delivery-channel --delivery-channel name=default,s3BucketName=<config-bucket> ${r}`,
    `aws configservice start-configuration-recorder --configuration-recorder-name default ${r}`,
  ].join(' && ');
}

/** The existing recorder made to record every type (with the role it has) and started: what it lacks, in order. */
function completeRecorder(recorder: Recorder, region: string): string {
  const r = `--region ${shellQuote(region)}`;
  const steps: string[] = [];
  if (!recorder.allSupported) {
    const definition = shellQuote(JSON.stringify({ name: recorder.name, roleARN: recorder.roleArn ?? '<config-role-arn>' }));
    steps.push(`aws configservice put-configuration-recorder --configuration-recorder ${definition} ${ALL_SUPPORTED} ${r}`);
  }
  if (!recorder.recording) steps.push(`aws configservice start-configuration-recorder --configuration-recorder-name ${shellQuote(recorder.name)} ${r}`);
  return steps.join(' && ');
}

export default defineCheck({
  meta: {
    id: 'aws.config.recorder',
    title: 'AWS Config records every resource type in every assessed region',
    failureTitle: 'AWS Config is not recording in an assessed region',
    description: 'AWS Config keeps the history of every resource’s configuration: who opened the security group, when the bucket became public. Without it an investigation has only today’s state.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.312(b)'],
    phase: 4,
    remediation: {
      text: 'Set up AWS Config recording all supported resource types, with a role it reads resources with (`<config-role-arn>`: the service-linked AWSServiceRoleForConfig from `aws iam create-service-linked-role --aws-service-name config.amazonaws.com`, or your own) and a bucket whose policy lets AWS Config write (`<config-bucket>`); the console’s 1-click setup makes all three. An existing recorder: record every type and start it; one that fails to record: fix its role’s permissions',
      command: '{{fix}}',
      effortMinutes: 20,
    },
    messages: {
      recording: 'Recorder {{recorder}} records all supported resources in {{region}}',
      'not-recording': 'Recorder {{recorder}} in {{region}} is stopped',
      partial: 'Recorder {{recorder}} in {{region}} records only selected resource types',
      'recording-failed': 'Recorder {{recorder}} in {{region}} is on but its last recording failed (status {{lastStatus}}): check its role’s permissions',
      'no-recorder': 'AWS Config has no configuration recorder in {{region}}',
      'region-not-read': 'AWS Config was not read in {{region}}',
    },
  },
  facts: { regions: configRecorders },
  evaluate({ regions }, { config }) {
    return assessedRegions(config, regions).map((region): Finding => {
      const entry = regions.find((r) => r.region === region);
      if (!entry) return { resource: region, status: 'unverified', code: 'region-not-read', args: { region } };
      const recorder = entry.recorders.find((r) => r.recording && r.allSupported && !failed(r)) ?? entry.recorders.find((r) => r.recording) ?? entry.recorders[0];
      if (!recorder) return { resource: region, status: 'fail', code: 'no-recorder', args: { region, fix: setUp(region) } };
      const args = { region, recorder: recorder.name, lastStatus: recorder.lastStatus ?? 'unknown' };
      const evidence = { recorder: recorder.name, recording: recorder.recording, allSupported: recorder.allSupported, lastStatus: recorder.lastStatus };
      if (!recorder.recording || !recorder.allSupported) return { resource: region, status: 'fail', code: recorder.recording ? 'partial' : 'not-recording', args: { ...args, fix: completeRecorder(recorder, region) }, evidence };
      // On, but failing to record (its role lost a permission): the history is not being kept.
      if (failed(recorder)) return { resource: region, status: 'fail', code: 'recording-failed', args: { ...args, fix: `aws configservice describe-configuration-recorder-status --configuration-recorder-names ${shellQuote(recorder.name)} --region ${shellQuote(region)}` }, evidence };
      return { resource: region, status: 'pass', code: 'recording', args, evidence };
    });
  },
});
