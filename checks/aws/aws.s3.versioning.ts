import { defineCheck, type Finding } from '../../src/model.js';
import { s3Buckets, s3Versioning } from '../../src/facts/aws.js';
import { bucketConfig, entryFor } from '../lib/s3-buckets.js';

export default defineCheck({
  meta: {
    id: 'aws.s3.versioning',
    title: 'Versioning is on where required',
    failureTitle: 'Versioning is off on a bucket that requires it',
    description: 'Versioning protects PHI files from overwrite and deletion (integrity). Buckets marked `versioning: required` must have it Enabled.',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.312(c)(1)'],
    phase: 1,
    remediation: {
      text: 'Enable versioning on the bucket',
      command: 'aws s3api put-bucket-versioning --bucket {{resource}} --versioning-configuration Status=Enabled',
      effortMinutes: 5,
    },
    messages: {
      enabled: 'Versioning is Enabled on {{resource}}',
      'not-enabled': 'Versioning is {{state}} on {{resource}} (required)',
      'not-required': 'Versioning is {{state}} on {{resource}} (not required)',
      'bucket-missing': 'Configured bucket {{resource}} does not exist',
    },
  },
  facts: { buckets: s3Buckets, versioning: s3Versioning },
  evaluate({ buckets, versioning }, { config }) {
    return buckets.map((bucket): Finding => {
      const required = bucketConfig(config, bucket.name)?.versioning === 'required';
      // A configured bucket that is not there is a finding whatever its versioning setting.
      if (!bucket.exists) return { resource: bucket.name, status: 'fail', code: 'bucket-missing' };
      const state = entryFor(versioning, bucket.name)?.status;
      if (!state) return { resource: bucket.name, status: 'unverified', code: 'fact-unavailable', args: { fact: 'aws.s3.versioning', reason: 'bucket not read' } };
      const evidence = { status: state };
      if (state === 'Enabled') return { resource: bucket.name, status: 'pass', code: 'enabled', evidence };
      return { resource: bucket.name, status: required ? 'fail' : 'not_applicable', code: required ? 'not-enabled' : 'not-required', args: { state }, evidence };
    });
  },
});
