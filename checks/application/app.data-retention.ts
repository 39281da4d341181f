import { z } from '../../src/zod.js';
import { defineCheck, optional, type FactOutcome, type FactValue, type Finding } from '../../src/model.js';
import { s3AccessLogging, s3Lifecycle } from '../../src/facts/aws.js';
import { attestations } from '../../src/facts/config.js';
import type { Config } from '../../src/config/schema.js';
import { ATTESTATION_MESSAGES, evaluateAttestation } from '../lib/attestation.js';
import { holdsPhi } from '../lib/s3-buckets.js';
import { lengthenExpirationCommand, mergeLifecycleRuleCommand, scopeOf, wholeBucket } from '../lib/lifecycle.js';
import { shellQuote } from '../lib/shell.js';

/** Seven years: the retention the fix proposes unless `minRetentionDays` asks for more. */
const RETENTION_SHOWN_DAYS = 2555;

type Lifecycle = FactValue<typeof s3Lifecycle>;
type Rule = Lifecycle[number]['rules'][number];

/** Collected before dates, noncurrent-version expirations and filters were recorded: an early deletion may hide there. */
const recordedBefore = (rule: Rule) => rule.filter === undefined || rule.expirationDate === undefined || rule.noncurrentExpirationDays === undefined;

/**
 * Makes the rule with this ID keep objects `days` days: a date expiration becomes one after `days` days, shorter day
 * counts (current and noncurrent versions) are lengthened; every other rule and setting stays. Needs jq.
 */
function keepRuleCommand(bucket: string, ruleId: string, days: number): string {
  const program =
    // jq orders null below every number: test for presence, or a rule without that expiration would gain one.
    '{Rules: [.Rules[] | if .ID == $id then (if .Expiration.Date then .Expiration = {Days: $days} elif .Expiration.Days != null and .Expiration.Days < $days then .Expiration.Days = $days else . end) | (if .NoncurrentVersionExpiration.NoncurrentDays != null and .NoncurrentVersionExpiration.NoncurrentDays < $days then .NoncurrentVersionExpiration.NoncurrentDays = $days else . end) else . end]}';
  return [
    `lifecycle=$(aws s3api get-bucket-lifecycle-configuration --bucket ${shellQuote(bucket)} --output json)`,
    `aws s3api put-bucket-lifecycle-configuration --bucket ${shellQuote(bucket)} --lifecycle-configuration "$(printf '%s' "$lifecycle" | jq -c --arg id ${shellQuote(ruleId)} --argjson days ${days} ${shellQuote(program)})"`,
  ].join(' && ');
}

/**
 * The buckets whose lifecycle speaks for PHI retention: the configured ones not marked
 * `phi: false`; with no list, every bucket but the targets of access logging (log buckets).
 */
function phiBuckets(lifecycle: Lifecycle, logging: FactOutcome<FactValue<typeof s3AccessLogging>>, config: Config): Lifecycle {
  const configured = config.aws?.s3.buckets;
  if (configured) {
    const names = new Set(configured.map((c) => c.name));
    return lifecycle.filter((b) => names.has(b.bucket) && holdsPhi(config, b.bucket));
  }
  const logTargets = new Set(logging.ok ? logging.value.map((l) => l.targetBucket).filter((t) => t !== null) : []);
  return lifecycle.filter((b) => !logTargets.has(b.bucket));
}

export default defineCheck({
  meta: {
    id: 'app.data-retention',
    title: 'A data retention policy is in force, and PHI is not deleted before its end',
    failureTitle: 'No data retention policy is in force, or PHI expires too early',
    description:
      'Records must be kept as long as required (HIPAA documentation 6 years, state medical-record laws often longer) and then disposed of. Evidence is the `data-retention` attestation of the written policy, or an S3 lifecycle expiration of at least `minRetentionDays` (default 2190, six years) covering a whole PHI bucket; an expiration on a bucket that holds no PHI (`phi: false`, or an access-log bucket) is no evidence. Any enabled expiration on a PHI bucket shorter than `minRetentionDays` fails, attested or not.',
    section: 'application',
    severity: 'medium',
    layer: 'operational',
    hipaa: ['164.316(b)(2)(i)'],
    phase: 5,
    attestations: ['data-retention'],
    options: () => z.object({
      minRetentionDays: z.number().int().positive().default(2190).describe('PHI must not expire sooner than this many days.'),
    }),
    remediation: {
      text: 'Write the retention policy and record it as the `data-retention` attestation, and/or enforce it with an S3 lifecycle expiration on the PHI buckets no shorter than the retention period (7 years shown; the command adds its rule beside the bucket\'s other lifecycle rules, with jq); remove or lengthen any shorter expiration of PHI (the command lengthens it)',
      command: '{{fix}}',
      effortMinutes: 240,
    },
    messages: {
      ...ATTESTATION_MESSAGES,
      'lifecycle-expiration': 'PHI bucket {{bucket}} expires objects after {{days}} days (rule {{rule}}), at least {{minRetentionDays}}',
      'phi-expires-early': 'PHI bucket {{bucket}} expires objects{{scope}} after {{days}} days (rule {{rule}}), before the {{minRetentionDays}}-day retention period',
      'phi-expires-on-date': 'PHI bucket {{bucket}} deletes every current object{{scope}} from {{date}} on, whatever its age (rule {{rule}}), before the {{minRetentionDays}}-day retention period',
      'phi-noncurrent-expires-early': 'PHI bucket {{bucket}} deletes noncurrent object versions{{scope}} {{days}} days after they are replaced (rule {{rule}}), before the {{minRetentionDays}}-day retention period',
      'lifecycle-not-recorded': 'The lifecycle rule {{rule}} of PHI bucket {{bucket}} was collected before expiration dates, noncurrent-version expirations and rule filters were recorded, so an early deletion of PHI cannot be ruled out: collect again',
      'lifecycle-unverified': 'The S3 lifecycle rules of the PHI buckets could not be read, so an early expiration of PHI cannot be ruled out: {{reason}}',
    },
  },
  facts: { attestations, lifecycle: optional(s3Lifecycle), logging: optional(s3AccessLogging) },
  evaluate({ attestations, lifecycle, logging }, { config, now, options }) {
    const { minRetentionDays } = options;
    const attested = evaluateAttestation(attestations, 'data-retention', now);
    const configuredPhi = config.aws?.s3.buckets?.filter((b) => b.phi).map((b) => b.name) ?? [];
    const firstBucket = shellQuote(configuredPhi[0] ?? '<bucket>');
    const retentionRule = { ID: 'readiness-retention', Status: 'Enabled', Filter: {}, Expiration: { Days: Math.max(RETENTION_SHOWN_DAYS, minRetentionDays) } };
    const fix = mergeLifecycleRuleCommand(configuredPhi[0] ?? '<bucket>', retentionRule);
    const withBucket = (finding: Finding): Finding => ({ ...finding, args: { ...finding.args, bucket: firstBucket, minRetentionDays, fix } });

    if (!lifecycle.ok) {
      if (lifecycle.failure.kind === 'NotConfigured') return [withBucket(attested)];
      // An early expiration of PHI may hide where we could not look: neither a pass nor a fail.
      return [{ resource: 'data-retention', status: 'unverified', code: 'lifecycle-unverified', args: { reason: lifecycle.failure.message, bucket: firstBucket, fix }, evidence: { failure: lifecycle.failure.kind, attested: attested.status === 'pass' } }];
    }
    const buckets = phiBuckets(lifecycle.value, logging, config);
    const enabled = buckets.flatMap((bucket) => bucket.rules.filter((r) => r.enabled).map((rule) => ({ bucket: bucket.bucket, rule })));
    const early = enabled.flatMap(({ bucket, rule }): Finding[] => {
      const base = { bucket: shellQuote(bucket), rule: rule.id ?? '(unnamed)', scope: scopeOf(rule), minRetentionDays };
      const evidence = { bucket, rule: rule.id, appliesTo: base.scope.trim() || '(whole bucket)', minRetentionDays };
      const findings: Finding[] = [];
      if (rule.expirationDate) {
        const fix = keepRuleCommand(bucket, rule.id ?? '<rule-id>', minRetentionDays);
        findings.push({ resource: bucket, status: 'fail', code: 'phi-expires-on-date', args: { ...base, date: rule.expirationDate.slice(0, 10), fix }, evidence: { ...evidence, expirationDate: rule.expirationDate } });
      }
      if (rule.expirationDays !== null && rule.expirationDays < minRetentionDays) {
        const fix = lengthenExpirationCommand(bucket, rule.id ?? '<rule-id>', minRetentionDays);
        findings.push({ resource: bucket, status: 'fail', code: 'phi-expires-early', args: { ...base, days: rule.expirationDays, fix }, evidence: { ...evidence, prefix: rule.prefix, expirationDays: rule.expirationDays } });
      }
      if (rule.noncurrentExpirationDays != null && rule.noncurrentExpirationDays < minRetentionDays) {
        const fix = keepRuleCommand(bucket, rule.id ?? '<rule-id>', minRetentionDays);
        findings.push({ resource: bucket, status: 'fail', code: 'phi-noncurrent-expires-early', args: { ...base, days: rule.noncurrentExpirationDays, fix }, evidence: { ...evidence, noncurrentExpirationDays: rule.noncurrentExpirationDays } });
      }
      return findings;
    });
    if (early.length > 0) return early;
    const stale = enabled.filter(({ rule }) => recordedBefore(rule));
    if (stale.length > 0) {
      return stale.map(({ bucket, rule }) => ({ resource: bucket, status: 'unverified', code: 'lifecycle-not-recorded', args: { bucket: shellQuote(bucket), rule: rule.id ?? '(unnamed)', minRetentionDays, fix }, evidence: { bucket, rule: rule.id, attested: attested.status === 'pass' } }));
    }
    if (attested.status === 'pass') return [withBucket(attested)];
    const evidence = enabled.find(({ rule }) => rule.expirationDays !== null && wholeBucket(rule));
    if (evidence) {
      const { bucket, rule } = evidence;
      const args = { bucket: shellQuote(bucket), days: rule.expirationDays!, rule: rule.id ?? '(unnamed)', minRetentionDays };
      return [{ resource: bucket, status: 'pass', code: 'lifecycle-expiration', args, evidence: { bucket, rule: rule.id, expirationDays: rule.expirationDays, minRetentionDays, phiBuckets: buckets.map((b) => b.bucket) } }];
    }
    return [withBucket(attested)];
  },
});
