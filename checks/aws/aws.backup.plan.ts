import { defineCheck, optional, type FactOutcome, type FactValue, type Finding } from '../../src/model.js';
import { rdsClusters, rdsInstances, s3Buckets } from '../../src/facts/aws.js';
import { backupPlans, backupProtectedResources } from '../../src/facts/aws-backup.js';
import { matchesArnPattern } from '../lib/arn-pattern.js';
import { holdsPhi } from '../lib/s3-buckets.js';
import { shellQuote } from '../lib/shell.js';

type Plan = FactValue<typeof backupPlans>[number];
type Selection = Plan['selections'][number];
type ProtectedResource = FactValue<typeof backupProtectedResources>[number];

interface Store {
  resource: string;
  arn: string;
  region: string;
  /** RDS automated backup retention in days; null for a bucket. */
  automatedDays: number | null;
}

/** Why a rule cannot protect anything for the retention asked, or null when it can. */
function ruleFault(rule: Plan['rules'][number], minDays: number): string | null {
  if (!rule.schedule) return `rule ${rule.name} has no schedule`;
  if (rule.deleteAfterDays !== null && rule.deleteAfterDays < minDays) return `rule ${rule.name} keeps recovery points ${rule.deleteAfterDays} days`;
  return null;
}

/** How a selection picks a resource: by its ARN, only through tags (which these facts cannot see on the resource), or not at all. */
function picks(selection: Selection, arn: string): 'arn' | 'tags' | null {
  if (selection.notResources.some((pattern) => matchesArnPattern(pattern, arn))) return null;
  const tagged = selection.anyTags.length > 0 || selection.allConditions.length > 0;
  // With tags in play (AND with the ARNs for conditions, OR for ListOfTags), only a recovery point proves the resource qualified.
  if (selection.resources.some((pattern) => matchesArnPattern(pattern, arn))) return tagged ? 'tags' : 'arn';
  return tagged && (selection.resources.length === 0 || selection.anyTags.length > 0) ? 'tags' : null;
}

/** Protected resources by ARN, indexed once rather than scanned per store; the first of an ARN wins, as a scan would find it. */
function byArn(resources: readonly ProtectedResource[]): Map<string, ProtectedResource> {
  const index = new Map<string, ProtectedResource>();
  for (const resource of resources) if (!index.has(resource.arn)) index.set(resource.arn, resource);
  return index;
}

export default defineCheck({
  meta: {
    id: 'aws.backup.plan',
    title: 'Every PHI store is backed up on a schedule',
    failureTitle: 'A PHI store has no backup schedule',
    description:
      'The contingency plan needs retrievable exact copies of PHI. A database counts as covered by its RDS automated backups when they are kept at least `aws.rds.minBackupRetentionDays`; a database that falls short, and every PHI bucket, need an AWS Backup plan that selects it with a scheduled rule keeping recovery points at least as long. A plan without rules, a rule without a schedule or with a shorter retention is no coverage. A selection by tag counts only for a resource AWS Backup holds recovery points of (ListProtectedResources): the resource tags are not read, and a tag no PHI store carries selects nothing. Plans or selections that cannot be read leave the store unverified.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.308(a)(7)(ii)(A)'],
    phase: 1,
    remediation: {
      text: 'Add the store to an AWS Backup plan with a daily rule that keeps recovery points at least the minimum retention (for a database, raising its automated backup retention is enough)',
      command: 'aws backup create-backup-selection --region {{region}} --backup-plan-id <backup-plan-id> --backup-selection {{selection}}',
      effortMinutes: 30,
    },
    messages: {
      'automated-backups': '{{resource}} keeps automated backups {{days}} days (≥ {{minDays}})',
      'backup-plan': '{{resource}} is selected by backup plan {{plan}} ({{rule}})',
      'backup-plan-by-tag': '{{resource}} is selected by tag in backup plan {{plan}} ({{rule}}); last backup {{lastBackup}}',
      'tag-not-carried': '{{resource}} is not backed up: backup plan {{plan}} selects by tag ({{tags}}), and AWS Backup holds no recovery point of it',
      'plan-not-effective': '{{resource}} is selected only by plans that protect nothing for {{minDays}} days: {{faults}}',
      'not-covered': '{{resource}} is in no backup plan{{automated}}',
      'plans-unread': 'Whether a backup plan covers {{resource}} is unknown{{automated}}: {{reason}}',
      'protected-unread': '{{resource}} is selected by tag in backup plan {{plan}}, and whether it carries the tag is unknown: {{reason}}',
      'no-stores': 'No assessed database or PHI bucket to back up',
    },
  },
  facts: { clusters: rdsClusters, instances: rdsInstances, buckets: s3Buckets, plans: optional(backupPlans), protectedResources: optional(backupProtectedResources) },
  evaluate({ clusters, instances, buckets, plans, protectedResources }, { config }) {
    const minDays = config.aws?.rds.minBackupRetentionDays ?? 30;
    const stores: Store[] = [
      ...clusters.filter((c) => !c.missing).map((c) => ({ resource: c.id, arn: c.arn, region: c.region, automatedDays: c.backupRetentionDays })),
      ...instances.filter((i) => i.clusterId === null && !i.missing).map((i) => ({ resource: i.id, arn: i.arn, region: i.region, automatedDays: i.backupRetentionDays })),
      ...buckets.filter((b) => b.exists && holdsPhi(config, b.name)).map((b) => ({ resource: b.name, arn: `arn:aws:s3:::${b.name}`, region: b.region ?? 'us-east-1', automatedDays: null })),
    ];
    if (stores.length === 0) return [{ resource: 'backup', status: 'not_applicable', code: 'no-stores' }];
    const recoveryPoints = protectedResources.ok ? { ok: true as const, value: byArn(protectedResources.value) } : protectedResources;
    return stores.map((store) => judge(store, minDays, plans, recoveryPoints));
  },
});

function judge(store: Store, minDays: number, plans: FactOutcome<Plan[]>, protectedResources: FactOutcome<Map<string, ProtectedResource>>): Finding {
  // The selection is built as JSON, then quoted as one shell word: an ARN is a name from the environment.
  const newSelection = shellQuote(JSON.stringify({ SelectionName: 'phi-stores', IamRoleArn: 'arn:aws:iam::<account-id>:role/service-role/AWSBackupDefaultServiceRole', Resources: [store.arn] }));
  const args = { arn: store.arn, region: store.region, selection: newSelection, minDays, automated: store.automatedDays === null ? '' : ` and its automated backups are kept ${store.automatedDays} days (< ${minDays})` };
  const base = { resource: store.resource, evidence: { arn: store.arn, automatedBackupDays: store.automatedDays } };
  if (store.automatedDays !== null && store.automatedDays >= minDays) return { ...base, status: 'pass', code: 'automated-backups', args: { ...args, days: store.automatedDays } };
  if (!plans.ok) return { ...base, status: 'unverified', code: 'plans-unread', args: { ...args, reason: plans.failure.message } };
  const faults: string[] = [];
  let byTag: { plan: Plan; rule: string; selection: Selection } | undefined;
  // Plans back up in their own region only.
  for (const plan of plans.value.filter((p) => p.region === store.region)) {
    // The first selection by ARN, else the first by tag.
    const picked = plan.selections.map((s) => picks(s, store.arn));
    const how = picked.includes('arn') ? 'arn' : picked.includes('tags') ? 'tags' : null;
    if (!how) continue;
    const selection = plan.selections[picked.indexOf(how)]!;
    const ruleFaults = plan.rules.map((rule) => ruleFault(rule, minDays));
    const good = plan.rules.find((_, i) => ruleFaults[i] === null);
    if (!good) {
      faults.push(`${plan.name}: ${plan.rules.length ? ruleFaults.join(', ') : 'no rules'}`);
      continue;
    }
    const evidence = { ...base.evidence, plan: plan.arn, rule: good.name, schedule: good.schedule, retentionDays: good.deleteAfterDays ?? 'until deleted', selection: selection.name };
    const rule = `${good.name}: ${good.schedule}, kept ${good.deleteAfterDays === null ? 'until deleted' : `${good.deleteAfterDays} days`}`;
    if (how === 'arn') return { ...base, evidence, status: 'pass', code: 'backup-plan', args: { ...args, plan: plan.name, rule } };
    byTag ??= { plan, rule, selection };
  }
  if (byTag) {
    const { plan, rule, selection } = byTag;
    const tags = [...selection.anyTags, ...selection.allConditions].join('; ');
    const evidence = { ...base.evidence, plan: plan.arn, selection: selection.name, tags };
    if (!protectedResources.ok) return { ...base, evidence, status: 'unverified', code: 'protected-unread', args: { ...args, plan: plan.name, reason: protectedResources.failure.message } };
    const point = protectedResources.value.get(store.arn);
    if (point) return { ...base, evidence: { ...evidence, lastBackup: point.lastBackup }, status: 'pass', code: 'backup-plan-by-tag', args: { ...args, plan: plan.name, rule, lastBackup: point.lastBackup ?? 'unknown' } };
    return { ...base, evidence, status: 'fail', code: 'tag-not-carried', args: { ...args, plan: plan.name, tags } };
  }
  if (faults.length) return { ...base, evidence: { ...base.evidence, faults }, status: 'fail', code: 'plan-not-effective', args: { ...args, faults: faults.join('; ') } };
  return { ...base, status: 'fail', code: 'not-covered', args };
}
