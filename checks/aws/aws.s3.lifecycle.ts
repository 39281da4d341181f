import { defineCheck, type Finding } from '../../src/model.js';
import { s3Buckets, s3Lifecycle } from '../../src/facts/aws.js';
import { mergeLifecycleRuleCommand, scopeOf, wholeBucket } from '../lib/lifecycle.js';
import { BUCKET_MESSAGES, bucketConfig, entryFor } from '../lib/s3-buckets.js';

const ARCHIVE_CLASSES = new Set(['GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR']);

export default defineCheck({
  meta: {
    id: 'aws.s3.lifecycle',
    title: 'Old objects move to Glacier on schedule',
    failureTitle: 'Old objects do not move to Glacier on schedule',
    description: 'Buckets with `glacierAfterDays` need an enabled, whole-bucket lifecycle rule (no prefix, tag or size filter) that transitions objects to an archive class (GLACIER, GLACIER_IR or DEEP_ARCHIVE) within that many days.',
    section: 'aws',
    severity: 'low',
    layer: 'infrastructure',
    hipaa: ['164.310(d)(2)(iv)'],
    phase: 2,
    remediation: {
      text: 'Add a lifecycle rule transitioning objects to Glacier (the command keeps the bucket\'s other lifecycle rules; it needs jq)',
      command: '{{fix}}',
      effortMinutes: 10,
    },
    messages: {
      transitions: '{{resource}} moves objects to {{storageClass}} after {{days}} days (≤ {{maxDays}})',
      'too-late': '{{resource}} moves objects to {{storageClass}} only after {{days}} days (needs ≤ {{maxDays}})',
      'prefix-only': '{{resource}} archives only objects{{scope}}, not the whole bucket',
      'filter-not-recorded': '{{resource}} has a lifecycle rule without a prefix, collected before its filter (tags, sizes) was recorded: whether it archives the whole bucket is unknown (collect again)',
      'no-transition': '{{resource}} has no enabled lifecycle rule moving objects to Glacier',
      'not-required': 'No Glacier transition is required for {{resource}}',
      ...BUCKET_MESSAGES,
    },
  },
  facts: { buckets: s3Buckets, lifecycle: s3Lifecycle },
  evaluate({ buckets, lifecycle }, { config }) {
    return buckets.map((bucket): Finding => {
      const maxDays = bucketConfig(config, bucket.name)?.glacierAfterDays;
      if (!bucket.exists) return { resource: bucket.name, status: 'fail', code: 'bucket-missing' };
      if (maxDays === undefined) return { resource: bucket.name, status: 'not_applicable', code: 'not-required' };
      const fix = mergeLifecycleRuleCommand(bucket.name, { ID: 'readiness-archive', Status: 'Enabled', Filter: { Prefix: '' }, Transitions: [{ Days: maxDays, StorageClass: 'GLACIER' }] });
      const rules = entryFor(lifecycle, bucket.name)?.rules;
      if (!rules) return { resource: bucket.name, status: 'unverified', code: 'bucket-not-read' };
      const archiving = rules
        .filter((rule) => rule.enabled)
        .flatMap((rule) => rule.transitions.filter((t) => ARCHIVE_CLASSES.has(t.storageClass) && t.days !== null).map((t) => ({ rule, days: t.days!, storageClass: t.storageClass })))
        .sort((a, b) => a.days - b.days);
      const best = archiving.find(({ rule }) => wholeBucket(rule));
      const evidence = { rules: rules.length, archiveTransitions: archiving.map((a) => `${scopeOf(a.rule).trim() || '(all)'} → ${a.storageClass} after ${a.days}d`) };
      if (best) {
        const ok = best.days <= maxDays;
        return { resource: bucket.name, status: ok ? 'pass' : 'fail', code: ok ? 'transitions' : 'too-late', args: { days: best.days, storageClass: best.storageClass, maxDays, fix }, evidence };
      }
      if (archiving.some(({ rule }) => rule.filter === undefined && !rule.prefix)) return { resource: bucket.name, status: 'unverified', code: 'filter-not-recorded', args: { maxDays, fix }, evidence };
      if (archiving[0]) return { resource: bucket.name, status: 'fail', code: 'prefix-only', args: { scope: scopeOf(archiving[0].rule), maxDays, fix }, evidence };
      return { resource: bucket.name, status: 'fail', code: 'no-transition', args: { maxDays, fix }, evidence };
    });
  },
});
