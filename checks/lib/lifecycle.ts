import { shellQuote } from './shell.js';

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
