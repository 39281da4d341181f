import { defineCheck, type FactValue, type Finding } from '../../src/model.js';
import { configRecorders } from '../../src/facts/aws-detection.js';
import { assessedRegions } from '../lib/regions.js';
import { shellQuote } from '../lib/shell.js';

type Recorder = FactValue<typeof configRecorders>[number]['recorders'][number];

/** The recorder that counts in a region: one recording everything without failing, else one recording, else any. */
const best = (recorders: Recorder[]) => recorders.find((r) => r.recording && r.allSupported && !failed(r)) ?? recorders.find((r) => r.recording) ?? recorders[0];

/** AWS Config answers `Pending`, `Success` or `Failure` (moto: `PENDING`). */
const failed = (recorder: Recorder) => recorder.lastStatus?.toLowerCase() === 'failure';

/**
 * Regions AWS Config served before February 2022: only there does includeGlobalResourceTypes record IAM's users, roles
 * and policies; in later ones (Hyderabad, Melbourne, Calgary, Spain, Zurich, Tel Aviv, UAE and every newer one) it
 * records nothing of them. The old ones are listed, so that a region unknown here counts as new.
 */
const IAM_RECORDING_REGIONS = new Set([
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ca-central-1', 'eu-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-north-1',
  'me-south-1', 'sa-east-1', 'us-gov-east-1', 'us-gov-west-1', 'cn-north-1', 'cn-northwest-1',
]);

/** The codes of a region whose recorder records every type: it counts for IAM's types. */
const RECORDS = new Set(['recording', 'delivery-failed', 'no-delivery-channel', 'delivery-not-read', 'delivery-not-collected']);

/** Whether the recorder records IAM's global types where it is; null: an older snapshot did not read the setting. */
const recordsIam = (region: string, recorder: Recorder) => (recorder.includesGlobalTypes === true ? IAM_RECORDING_REGIONS.has(region) : recorder.includesGlobalTypes);

/** Records every supported type, IAM's global ones included unless another region records them (one region is enough). */
const allSupported = (global: boolean) => `--recording-group allSupported=true,includeGlobalResourceTypes=${global}`;

/**
 * A recorder, its delivery channel and the start, as the console's setup makes them. The role (the service-linked
 * AWSServiceRoleForConfig, or one of your own) and the bucket (its policy must let AWS Config write) are choices.
 */
function setUp(region: string, global: boolean): string {
  const r = `--region ${shellQuote(region)}`;
  return [
    `aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=<config-role-arn> ${allSupported(global)} ${r}`,
    `aws configservice put-delivery-channel --delivery-channel name=default,s3BucketName=<config-bucket> ${r}`,
    `aws configservice start-configuration-recorder --configuration-recorder-name default ${r}`,
  ].join(' && ');
}

/** The existing recorder made to record every type (IAM's too when `global`), with the role it has, and started: what it lacks, in order. */
function completeRecorder(recorder: Recorder, region: string, global: boolean): string {
  const r = `--region ${shellQuote(region)}`;
  const steps: string[] = [];
  if (!recorder.allSupported || (global && recorder.includesGlobalTypes === false)) {
    const definition = shellQuote(JSON.stringify({ name: recorder.name, roleARN: recorder.roleArn ?? '<config-role-arn>' }));
    steps.push(`aws configservice put-configuration-recorder --configuration-recorder ${definition} ${allSupported(global || recorder.includesGlobalTypes === true)} ${r}`);
  }
  if (!recorder.recording) steps.push(`aws configservice start-configuration-recorder --configuration-recorder-name ${shellQuote(recorder.name)} ${r}`);
  return steps.join(' && ');
}

export default defineCheck({
  meta: {
    id: 'aws.config.recorder',
    title: 'AWS Config records every resource type in every assessed region',
    failureTitle: 'AWS Config is not recording in an assessed region',
    description: 'AWS Config keeps the history of every resource’s configuration: who opened the security group, when the bucket became public, who was given which IAM policy. Without it an investigation has only today’s state. Each assessed region needs a recorder that is on, records every supported type and has not failed its last recording, and a delivery channel that has not failed its last delivery of that history to the bucket (what an auditor reads); IAM’s global types (users, roles, policies) need recording in one of them.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.312(b)'],
    phase: 4,
    remediation: {
      text: 'Set up AWS Config recording all supported resource types, with a role it reads resources with (`<config-role-arn>`: the service-linked AWSServiceRoleForConfig from `aws iam create-service-linked-role --aws-service-name config.amazonaws.com`, or your own) and a bucket whose policy lets AWS Config write (`<config-bucket>`); the console’s 1-click setup makes all three. An existing recorder: record every type and start it; one that fails to record: fix its role’s permissions; one whose delivery fails: let AWS Config write to the bucket (its policy, its KMS key)',
      command: '{{fix}}',
      effortMinutes: 20,
    },
    messages: {
      recording: 'Recorder {{recorder}} records all supported resources in {{region}}',
      'not-recording': 'Recorder {{recorder}} in {{region}} is stopped',
      partial: 'Recorder {{recorder}} in {{region}} records only selected resource types',
      'no-global-types': 'Recorder {{recorder}} in {{region}} records every regional type, but no assessed region records IAM’s global ones (users, roles, policies)',
      'global-types-unrecordable': 'Recorder {{recorder}} in {{region}} records every regional type, but no assessed region records IAM’s global ones (users, roles, policies): AWS Config records them only in a Region it served before February 2022, and no assessed region is one',
      'recording-failed': 'Recorder {{recorder}} in {{region}} is on but its last recording failed (status {{lastStatus}}): check its role’s permissions',
      'global-types-not-read': 'Recorder {{recorder}} in {{region}} records every regional type, but whether it records IAM’s global ones (users, roles, policies) was not collected (a snapshot from an older version), and no assessed region is known to: collect again',
      'delivery-failed': 'Recorder {{recorder}} in {{region}} records, but delivery channel {{channel}} failed its last delivery of the configuration history to its bucket ({{errorCode}}: {{errorMessage}}): check the bucket’s policy and KMS key',
      'no-delivery-channel': 'Recorder {{recorder}} in {{region}} records, but there is no delivery channel: no history reaches a bucket',
      'delivery-not-read': 'Recorder {{recorder}} in {{region}} records, but whether its history reaches the bucket could not be read: {{reason}}',
      'delivery-not-collected': 'Recorder {{recorder}} in {{region}} records, but whether its history reaches the bucket was not collected (a snapshot from an older version): collect again',
      'no-recorder': 'AWS Config has no configuration recorder in {{region}}',
      'region-not-read': 'AWS Config was not read in {{region}}',
    },
  },
  facts: { regions: configRecorders },
  evaluate({ regions }, { config }) {
    // IAM's users, roles and policies are recorded by one region's recorder, any one: the fixes add them only where none does.
    const global = !regions.some((r) => r.recorders.some((x) => x.recording && !failed(x) && recordsIam(r.region, x) === true));
    const findings = assessedRegions(config, regions).map((region): Finding => {
      const entry = regions.find((r) => r.region === region);
      if (!entry) return { resource: region, status: 'unverified', code: 'region-not-read', args: { region } };
      const recorder = best(entry.recorders);
      if (!recorder) return { resource: region, status: 'fail', code: 'no-recorder', args: { region, fix: setUp(region, global && IAM_RECORDING_REGIONS.has(region)) } };
      const args = { region, recorder: recorder.name, lastStatus: recorder.lastStatus ?? 'unknown' };
      const evidence = { recorder: recorder.name, recording: recorder.recording, allSupported: recorder.allSupported, includesGlobalTypes: recorder.includesGlobalTypes, lastStatus: recorder.lastStatus };
      if (!recorder.recording || !recorder.allSupported) return { resource: region, status: 'fail', code: recorder.recording ? 'partial' : 'not-recording', args: { ...args, fix: completeRecorder(recorder, region, global && IAM_RECORDING_REGIONS.has(region)) }, evidence };
      // On, but failing to record (its role lost a permission): the history is not being kept.
      if (failed(recorder)) return { resource: region, status: 'fail', code: 'recording-failed', args: { ...args, fix: `aws configservice describe-configuration-recorder-status --configuration-recorder-names ${shellQuote(recorder.name)} --region ${shellQuote(region)}` }, evidence };
      // Recorded but not delivered (a bucket it may not write to): the history an auditor reads is not kept.
      const delivery = entry.deliveryChannels;
      if (!delivery) return { resource: region, status: 'unverified', code: 'delivery-not-collected', args, evidence };
      if (!delivery.read) return { resource: region, status: 'unverified', code: 'delivery-not-read', args: { ...args, reason: delivery.reason }, evidence };
      const delivered = { ...evidence, deliveryChannels: delivery.channels.map((c) => c.name), historyLastStatus: delivery.channels.map((c) => c.historyLastStatus ?? 'unknown') };
      if (delivery.channels.length === 0) return { resource: region, status: 'fail', code: 'no-delivery-channel', args: { ...args, fix: `aws configservice put-delivery-channel --delivery-channel name=default,s3BucketName=<config-bucket> --region ${shellQuote(region)}` }, evidence: delivered };
      const undelivered = delivery.channels.find((c) => c.historyLastStatus?.toLowerCase() === 'failure');
      if (undelivered) {
        const failure = { channel: undelivered.name, errorCode: undelivered.historyLastErrorCode ?? 'no error code', errorMessage: undelivered.historyLastErrorMessage ?? 'no message' };
        return { resource: region, status: 'fail', code: 'delivery-failed', args: { ...args, ...failure, fix: `aws configservice describe-delivery-channel-status --delivery-channel-names ${shellQuote(undelivered.name)} --region ${shellQuote(region)}` }, evidence: delivered };
      }
      return { resource: region, status: 'pass', code: 'recording', args, evidence: delivered };
    });
    // With none recording IAM's types, who was granted access to PHI has no history. A recorder that records counts
    // whatever became of its delivery: that is its own region's finding.
    const recording = regions.filter((r) => findings.some((f) => f.resource === r.region && RECORDS.has(f.code))).map((r) => ({ region: r.region, recorder: best(r.recorders)! }));
    if (recording.some((w) => recordsIam(w.region, w.recorder) === true)) return findings;
    // Said on a region not failed already (its delivery unknown counts), so that no failure hides another.
    const statusOf = (region: string) => findings.find((f) => f.resource === region)!.status;
    const working = recording.filter((w) => statusOf(w.region) !== 'fail');
    if (working.length === 0) return findings;
    // An older snapshot that did not read the setting: whether any region records them is not known.
    if (recording.some((w) => recordsIam(w.region, w.recorder) !== false)) {
      const unread = working.find((w) => recordsIam(w.region, w.recorder) !== false && statusOf(w.region) === 'pass');
      return findings.map((f): Finding => (f.resource === unread?.region ? { ...f, status: 'unverified', code: 'global-types-not-read' } : f));
    }
    // Asked of a recorder where AWS Config cannot record them, they are added in another region, the user's choice.
    const noGlobal = working.find((w) => IAM_RECORDING_REGIONS.has(w.region));
    const target = noGlobal ?? working[0]!;
    const failure = noGlobal
      ? { code: 'no-global-types', fix: completeRecorder(noGlobal.recorder, noGlobal.region, true) }
      : { code: 'global-types-unrecordable', fix: setUp('<region-recording-iam>', true) };
    return findings.map((f): Finding => (f.resource === target.region ? { ...f, status: 'fail', code: failure.code, args: { ...f.args, fix: failure.fix } } : f));
  },
});
