import { defineCheck, type Finding } from '../../src/model.js';
import { configRecorders } from '../../src/facts/aws-detection.js';
import { assessedRegions } from '../lib/regions.js';

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
      text: 'Set up AWS Config recording all supported resource types (the console’s 1-click setup creates the recorder, its role and delivery channel), or start the existing recorder',
      command: '{{fix}}',
      effortMinutes: 20,
    },
    messages: {
      recording: 'Recorder {{recorder}} records all supported resources in {{region}}',
      'not-recording': 'Recorder {{recorder}} in {{region}} is stopped',
      partial: 'Recorder {{recorder}} in {{region}} records only selected resource types',
      'no-recorder': 'AWS Config has no configuration recorder in {{region}}',
      'region-not-read': 'AWS Config was not read in {{region}}',
    },
  },
  facts: { regions: configRecorders },
  evaluate({ regions }, { config }) {
    return assessedRegions(config, regions).map((region): Finding => {
      const entry = regions.find((r) => r.region === region);
      if (!entry) return { resource: region, status: 'unverified', code: 'region-not-read', args: { region } };
      const setup = `open 'https://console.aws.amazon.com/config/home?region=${region}#/getting-started'`;
      const recorder = entry.recorders.find((r) => r.recording && r.allSupported) ?? entry.recorders.find((r) => r.recording) ?? entry.recorders[0];
      if (!recorder) return { resource: region, status: 'fail', code: 'no-recorder', args: { region, fix: setup } };
      const args = { region, recorder: recorder.name };
      const evidence = { recorder: recorder.name, recording: recorder.recording, allSupported: recorder.allSupported, lastStatus: recorder.lastStatus };
      // Config names are [A-Za-z0-9_.-]: safe in a shell command unquoted.
      if (!recorder.recording) return { resource: region, status: 'fail', code: 'not-recording', args: { ...args, fix: `aws configservice start-configuration-recorder --configuration-recorder-name ${recorder.name} --region ${region}` }, evidence };
      if (!recorder.allSupported) return { resource: region, status: 'fail', code: 'partial', args: { ...args, fix: setup }, evidence };
      return { resource: region, status: 'pass', code: 'recording', args, evidence };
    });
  },
});
