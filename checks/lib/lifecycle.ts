import type { s3Lifecycle } from '../../src/facts/aws.js';
import type { FactValue } from '../../src/model.js';
import { shellQuote } from './shell.js';

type Rule = FactValue<typeof s3Lifecycle>[number]['rules'][number];

/**
 * Only a rule with no prefix, tag or size bound speaks for every object of the bucket. A rule collected before filters
 * were recorded (`filter` absent) is not known to: no prefix may still be a tag.
 */
export const wholeBucket = (rule: Rule): boolean =>
  !!rule.filter && !rule.filter.prefix && rule.filter.tags.length === 0 && rule.filter.objectSizeGreaterThan === null && rule.filter.objectSizeLessThan === null;

/** The objects a rule applies to, for messages (` under logs/, tagged a=b`): '' for the whole bucket. */
export function scopeOf(rule: Rule): string {
  const filter = rule.filter ?? { prefix: rule.prefix, tags: [], objectSizeGreaterThan: null, objectSizeLessThan: null };
  const parts = [
    ...(filter.prefix ? [`under ${filter.prefix}`] : []),
    ...filter.tags.map((t) => `tagged ${t.key}=${t.value}`),
    ...(filter.objectSizeGreaterThan !== null ? [`larger than ${filter.objectSizeGreaterThan} bytes`] : []),
    ...(filter.objectSizeLessThan !== null ? [`smaller than ${filter.objectSizeLessThan} bytes`] : []),
  ];
  return parts.length ? ` ${parts.join(', ')}` : '';
}

/**
 * A command that edits a bucket's lifecycle rules with a jq program and puts them back, keeping the rules it
 * does not touch (`put-bucket-lifecycle-configuration` replaces the whole configuration). No configuration yet
 * is an empty list; any other error stops the command before the put. Needs jq.
 */
function editLifecycleCommand(bucket: string, jqArguments: string, program: string): string {
  const name = bucket.startsWith('<') ? bucket : shellQuote(bucket);
  return [
    `{ lifecycle=$(aws s3api get-bucket-lifecycle-configuration --bucket ${name} --output json 2>&1) || case "$lifecycle" in *NoSuchLifecycleConfiguration*) lifecycle='{"Rules":[]}' ;; *) printf '%s\\n' "$lifecycle" >&2; false ;; esac; }`,
    `aws s3api put-bucket-lifecycle-configuration --bucket ${name} --lifecycle-configuration "$(printf '%s' "$lifecycle" | jq -c ${jqArguments} ${shellQuote(program)})"`,
  ].join(' && ');
}

/** Adds `rule` to the bucket's lifecycle, replacing only a rule with the same ID. */
export function mergeLifecycleRuleCommand(bucket: string, rule: { ID: string } & Record<string, unknown>): string {
  return editLifecycleCommand(bucket, `--argjson rule ${shellQuote(JSON.stringify(rule))}`, '{Rules: ([.Rules[] | select(.ID != $rule.ID)] + [$rule])}');
}

/** Lengthens the expiration of the rule with this ID to `days`, leaving every other rule and setting as it is. */
export function lengthenExpirationCommand(bucket: string, ruleId: string, days: number): string {
  return editLifecycleCommand(
    bucket,
    `--arg id ${shellQuote(ruleId)} --argjson days ${days}`,
    '{Rules: [.Rules[] | if .ID == $id and .Expiration.Days < $days then .Expiration.Days = $days else . end]}',
  );
}
