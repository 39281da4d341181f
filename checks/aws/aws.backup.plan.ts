import { z } from '../../src/zod.js';
import { defineCheck, optional, type FactOutcome, type FactValue, type Finding } from '../../src/model.js';
import { rdsClusters, rdsInstances, s3Buckets } from '../../src/facts/aws.js';
import { backupPlans, backupProtectedResources } from '../../src/facts/aws-backup.js';
import { matchesArnPattern } from '../lib/arn-pattern.js';
import { holdsPhi } from '../lib/s3-buckets.js';
import { shellQuote } from '../lib/shell.js';

type Plan = FactValue<typeof backupPlans>[number];
type Selection = Plan['selections'][number];
type Rule = Plan['rules'][number];
type ProtectedResource = FactValue<typeof backupProtectedResources>[number];

interface Store {
  resource: string;
  arn: string;
  region: string;
  /** RDS automated backup retention in days; null for a bucket. */
  automatedDays: number | null;
}

const DAY_MS = 86_400_000;

/** Why a rule cannot protect anything for the retention asked, or null when it can. */
function ruleFault(rule: Rule, minDays: number): string | null {
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

/**
 * Days between two runs of an AWS Backup cron, `cron(minute hour day-of-month month day-of-week year)`, and how it was read.
 * A schedule not read is taken as daily, the shortest limit.
 */
function interval(schedule: string): { days: number; reading: string } {
  const fields = /^cron\(\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*\)$/.exec(schedule.trim());
  const every = (field: string) => field === '*' || field === '?';
  if (fields) {
    const [, , , dayOfMonth, month, dayOfWeek, year] = fields as unknown as string[];
    // Runs limited to some months or years leave gaps longer than a month.
    if (every(month!) && every(year!)) {
      if (every(dayOfMonth!) && every(dayOfWeek!)) return { days: 1, reading: 'a daily schedule' };
      // `2#1` (the first Monday) and `6L` (the last Friday) run once a month.
      if (every(dayOfMonth!)) return /[#L]/i.test(dayOfWeek!) ? { days: 31, reading: 'a monthly schedule' } : { days: 7, reading: 'a weekly schedule' };
      if (every(dayOfWeek!)) return { days: 31, reading: 'a monthly schedule' };
    }
  }
  return { days: 1, reading: `schedule ${schedule} not read, taken as daily` };
}

/** The oldest recovery point a rule accepts, in days: the option when set, else its interval and a day for the start and completion windows. */
function ageLimit(rule: Rule, maxDays: number | null): { days: number; text: string } {
  if (maxDays !== null) return { days: maxDays, text: `${maxDays} days: maxRecoveryPointAgeDays` };
  const { days, reading } = interval(rule.schedule!);
  return { days: days + 1, text: `${days + 1} days: ${reading} + 1 day` };
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
    // A plan schedules these stores: what is missing is the copy.
    failureTitles: { 'no-recovery-point': 'AWS Backup holds no recovery point of a PHI store', 'stale-recovery-point': 'The last backup of a PHI store is too old' },
    description:
      'The contingency plan needs retrievable exact copies of PHI. A database counts as covered by its RDS automated backups when they are kept at least `aws.rds.minBackupRetentionDays`; a database that falls short, and every PHI bucket, need an AWS Backup plan that selects it with a scheduled rule keeping recovery points at least as long. A plan without rules, a rule without a schedule or with a shorter retention is no coverage. A plan is only intent: the store also needs a recovery point in AWS Backup (ListProtectedResources) no older than the rule\'s schedule allows — a day for a daily cron, a week for one naming days of the week, 31 days for one naming days of the month, plus a day; a schedule that cannot be read is taken as daily, and the `maxRecoveryPointAgeDays` option replaces the limit. No recovery point (failing backup jobs) or an older one fails. A selection by tag is judged the same way: the resource tags are not read, and a tag no PHI store carries selects nothing. Plans, selections or recovery points that cannot be read, or a recovery point without a time, leave the store unverified.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.308(a)(7)(ii)(A)'],
    phase: 1,
    options: () => z.object({
      // null, not a number: unset, the limit follows each rule's schedule.
      maxRecoveryPointAgeDays: z.number().int().positive().nullable().default(null).describe('Oldest accepted AWS Backup recovery point, in days; null: derived from the rule\'s schedule (its interval + 1 day).'),
    }),
    remediation: {
      text: 'Add the store to an AWS Backup plan with a daily rule that keeps recovery points at least the minimum retention (for a database, raising its automated backup retention is enough); when a plan selects it but its recovery points are missing or old, read its failed backup jobs and fix their cause (the IAM role of the selection, the vault, the service role\'s permissions)',
      command: '{{fix}}',
      effortMinutes: 30,
    },
    messages: {
      'automated-backups': '{{resource}} keeps automated backups {{days}} days (≥ {{minDays}})',
      'backup-plan': '{{resource}} is selected by backup plan {{plan}} ({{rule}}); last backup {{lastBackup}} (limit {{limit}})',
      'backup-plan-by-tag': '{{resource}} is selected by tag in backup plan {{plan}} ({{rule}}); last backup {{lastBackup}} (limit {{limit}})',
      'no-recovery-point': '{{resource}} is selected by {{selectedBy}} ({{rule}}), but AWS Backup holds no recovery point of it: check its backup jobs',
      'stale-recovery-point': '{{resource}} is selected by {{selectedBy}} ({{rule}}), but its last recovery point is from {{lastBackup}} ({{ageDays}} days old; limit {{limit}})',
      'last-backup-unknown': '{{resource}} is selected by {{selectedBy}} ({{rule}}), and AWS Backup holds a recovery point of it but did not report when it was made (limit {{limit}})',
      'recovery-points-unread': '{{resource}} is selected by backup plan {{plan}} ({{rule}}), and whether AWS Backup holds a recent recovery point of it is unknown: {{reason}}',
      'tag-not-carried': '{{resource}} is not backed up: backup plan {{plan}} selects by tag ({{tags}}), and AWS Backup holds no recovery point of it',
      'plan-not-effective': '{{resource}} is selected only by plans that protect nothing for {{minDays}} days: {{faults}}',
      'not-covered': '{{resource}} is in no backup plan{{automated}}',
      'plans-unread': 'Whether a backup plan covers {{resource}} is unknown{{automated}}: {{reason}}',
      'protected-unread': '{{resource}} is selected by tag in backup plan {{plan}}, and whether it carries the tag is unknown: {{reason}}',
      'no-stores': 'No assessed database or PHI bucket to back up',
    },
  },
  facts: { clusters: rdsClusters, instances: rdsInstances, buckets: s3Buckets, plans: optional(backupPlans), protectedResources: optional(backupProtectedResources) },
  evaluate({ clusters, instances, buckets, plans, protectedResources }, { config, now, options }) {
    const minDays = config.aws?.rds.minBackupRetentionDays ?? 30;
    const stores: Store[] = [
      ...clusters.filter((c) => !c.missing).map((c) => ({ resource: c.id, arn: c.arn, region: c.region, automatedDays: c.backupRetentionDays })),
      ...instances.filter((i) => i.clusterId === null && !i.missing).map((i) => ({ resource: i.id, arn: i.arn, region: i.region, automatedDays: i.backupRetentionDays })),
      ...buckets.filter((b) => b.exists && holdsPhi(config, b.name)).map((b) => ({ resource: b.name, arn: `arn:aws:s3:::${b.name}`, region: b.region ?? 'us-east-1', automatedDays: null })),
    ];
    if (stores.length === 0) return [{ resource: 'backup', status: 'not_applicable', code: 'no-stores' }];
    const recoveryPoints = protectedResources.ok ? { ok: true as const, value: byArn(protectedResources.value) } : protectedResources;
    return stores.map((store) => judge(store, minDays, plans, recoveryPoints, now, options.maxRecoveryPointAgeDays));
  },
});

function judge(store: Store, minDays: number, plans: FactOutcome<Plan[]>, protectedResources: FactOutcome<Map<string, ProtectedResource>>, now: Date, maxAgeDays: number | null): Finding {
  // The selection is built as JSON, then quoted as one shell word: an ARN is a name from the environment.
  const newSelection = shellQuote(JSON.stringify({ SelectionName: 'phi-stores', IamRoleArn: 'arn:aws:iam::<account-id>:role/service-role/AWSBackupDefaultServiceRole', Resources: [store.arn] }));
  const fix = `aws backup create-backup-selection --region ${shellQuote(store.region)} --backup-plan-id <backup-plan-id> --backup-selection ${newSelection}`;
  const args = { arn: store.arn, region: store.region, fix, minDays, automated: store.automatedDays === null ? '' : ` and its automated backups are kept ${store.automatedDays} days (< ${minDays})` };
  const base = { resource: store.resource, evidence: { arn: store.arn, automatedBackupDays: store.automatedDays } };
  if (store.automatedDays !== null && store.automatedDays >= minDays) return { ...base, status: 'pass', code: 'automated-backups', args: { ...args, days: store.automatedDays } };
  if (!plans.ok) return { ...base, status: 'unverified', code: 'plans-unread', args: { ...args, reason: plans.failure.message } };
  const faults: string[] = [];
  let chosen: { plan: Plan; rule: Rule; selection: Selection; how: 'arn' | 'tags' } | undefined;
  // Plans back up in their own region only.
  for (const plan of plans.value.filter((p) => p.region === store.region)) {
    // The first selection by ARN, else the first by tag.
    const picked = plan.selections.map((s) => picks(s, store.arn));
    const how = picked.includes('arn') ? 'arn' : picked.includes('tags') ? 'tags' : null;
    if (!how) continue;
    const selection = plan.selections[picked.indexOf(how)]!;
    const ruleFaults = plan.rules.map((rule) => ruleFault(rule, minDays));
    const good = plan.rules.filter((_, i) => ruleFaults[i] === null);
    if (!good.length) {
      faults.push(`${plan.name}: ${plan.rules.length ? ruleFaults.join(', ') : 'no rules'}`);
      continue;
    }
    // The most frequent rule sets how recent the last recovery point must be.
    const rule = good.reduce((best, r) => (interval(r.schedule!).days < interval(best.schedule!).days ? r : best));
    if (how === 'arn') {
      chosen = { plan, rule, selection, how };
      break;
    }
    chosen ??= { plan, rule, selection, how };
  }
  if (chosen) return recovered(store, chosen, base, args, protectedResources, now, maxAgeDays);
  if (faults.length) return { ...base, evidence: { ...base.evidence, faults }, status: 'fail', code: 'plan-not-effective', args: { ...args, faults: faults.join('; ') } };
  return { ...base, status: 'fail', code: 'not-covered', args };
}

/** A store a plan selects: covered only by a recovery point as recent as the rule's schedule asks. */
function recovered(
  store: Store,
  { plan, rule: good, selection, how }: { plan: Plan; rule: Rule; selection: Selection; how: 'arn' | 'tags' },
  base: { resource: string; evidence: Record<string, string | number | null> },
  baseArgs: Record<string, string | number>,
  protectedResources: FactOutcome<Map<string, ProtectedResource>>,
  now: Date,
  maxAgeDays: number | null,
): Finding {
  const tags = [...selection.anyTags, ...selection.allConditions].join('; ');
  const rule = `${good.name}: ${good.schedule}, kept ${good.deleteAfterDays === null ? 'until deleted' : `${good.deleteAfterDays} days`}`;
  const limit = ageLimit(good, maxAgeDays);
  const evidence = {
    ...base.evidence, plan: plan.arn, rule: good.name, schedule: good.schedule, retentionDays: good.deleteAfterDays ?? 'until deleted', selection: selection.name,
    ...(how === 'tags' ? { tags } : {}), maxRecoveryPointAgeDays: limit.days,
  };
  const args = { ...baseArgs, plan: plan.name, rule, limit: limit.text, selectedBy: how === 'arn' ? `backup plan ${plan.name}` : `tag in backup plan ${plan.name}` };
  const jobs = `aws backup list-backup-jobs --by-resource-arn ${shellQuote(store.arn)} --by-state FAILED --region ${shellQuote(store.region)}`;
  if (!protectedResources.ok) {
    const reason = protectedResources.failure.message;
    return { ...base, evidence, status: 'unverified', code: how === 'arn' ? 'recovery-points-unread' : 'protected-unread', args: { ...args, reason } };
  }
  const point = protectedResources.value.get(store.arn);
  if (!point) {
    // By tag, no recovery point most likely means the store lacks the tag; by ARN, the backup jobs fail.
    if (how === 'tags') return { ...base, evidence, status: 'fail', code: 'tag-not-carried', args: { ...args, tags } };
    return { ...base, evidence, status: 'fail', code: 'no-recovery-point', args: { ...args, fix: jobs } };
  }
  const made = point.lastBackup === null ? Number.NaN : Date.parse(point.lastBackup);
  if (Number.isNaN(made)) {
    const recoveryPoints = `aws backup list-recovery-points-by-resource --resource-arn ${shellQuote(store.arn)} --region ${shellQuote(store.region)}`;
    return { ...base, evidence: { ...evidence, lastBackup: point.lastBackup }, status: 'unverified', code: 'last-backup-unknown', args: { ...args, fix: recoveryPoints } };
  }
  const ageDays = Math.floor(((now.getTime() - made) / DAY_MS) * 10) / 10;
  const dated = { ...evidence, lastBackup: point.lastBackup, ageDays };
  const lastBackup = point.lastBackup!;
  if (now.getTime() - made > limit.days * DAY_MS) return { ...base, evidence: dated, status: 'fail', code: 'stale-recovery-point', args: { ...args, lastBackup, ageDays, fix: jobs } };
  return { ...base, evidence: dated, status: 'pass', code: how === 'arn' ? 'backup-plan' : 'backup-plan-by-tag', args: { ...args, lastBackup } };
}
