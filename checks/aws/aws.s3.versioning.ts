import { defineCheck, type Finding } from '../../src/model.js';
import { s3Buckets, s3Versioning } from '../../src/facts/aws.js';
import { bucketConfig, entryFor, holdsPhi } from '../lib/s3-buckets.js';

export default defineCheck({
  meta: {
    id: 'aws.s3.versioning',
    title: 'Versioning is on where required',
    failureTitle: 'Versioning is off on a bucket that requires it',
    description: 'Versioning protects PHI files from overwrite and deletion (integrity). Every bucket that holds PHI, and any bucket marked `versioning: required`, must have it Enabled; `versioning: optional` on a PHI bucket opts it out, by name in the report.',
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
      'not-enabled': 'Versioning is {{state}} on {{resource}} ({{why}})',
      'not-required': 'Versioning is {{state}} on {{resource}} (not required)',
      'opted-out': 'Versioning is {{state}} on {{resource}}, which holds PHI: the config opts it out (`versioning: optional`)',
      'bucket-missing': 'Configured bucket {{resource}} does not exist',
    },
  },
  facts: { buckets: s3Buckets, versioning: s3Versioning },
  evaluate({ buckets, versioning }, { config }) {
    return buckets.map((bucket): Finding => {
      const asked = bucketConfig(config, bucket.name)?.versioning;
      const phi = holdsPhi(config, bucket.name);
      // A configured bucket that is not there is a finding whatever its versioning setting.
      if (!bucket.exists) return { resource: bucket.name, status: 'fail', code: 'bucket-missing' };
      const state = entryFor(versioning, bucket.name)?.status;
      if (!state) return { resource: bucket.name, status: 'unverified', code: 'fact-unavailable', args: { fact: 'aws.s3.versioning', reason: 'bucket not read' } };
      const evidence = { status: state };
      if (state === 'Enabled') return { resource: bucket.name, status: 'pass', code: 'enabled', evidence };
      // Unless the config says otherwise, PHI decides: a bucket missing the key must not slip through as "not required".
      if (asked === 'required' || (asked === undefined && phi)) {
        const why = asked === 'required' ? 'marked `versioning: required`' : 'it holds PHI';
        return { resource: bucket.name, status: 'fail', code: 'not-enabled', args: { state, why }, evidence: { ...evidence, phi } };
      }
      return { resource: bucket.name, status: 'not_applicable', code: phi ? 'opted-out' : 'not-required', args: { state }, evidence: { ...evidence, phi, versioning: asked ?? null } };
    });
  },
});
