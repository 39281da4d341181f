import type { CollectOptions } from '../cli.js';
import { redact, secretValues } from '../engine/redact.js';
import { collectLive, planFacts } from '../engine/run.js';
import { awsIdentity } from '../facts/aws.js';
import { buildSnapshot, type Snapshot } from '../snapshot.js';
import { UsageError } from '../errors.js';
import type { FactOutcome } from '../model.js';
import type { Config } from '../config/schema.js';
import { isMultiAccount, isMultiProject, plainFactId } from '../engine/accounts.js';
import { VERSION } from '../version.js';
import { writeAtomically } from './output.js';
import { setup } from './setup.js';
import { remainingMs } from '../deadline.js';
import { wantsProgress } from '../engine/progress.js';

/** collect: the facts of the selected checks, recorded for `check --snapshot`. */
export async function runCollect(options: CollectOptions): Promise<number> {
  const { loaded, checks, catalog, warnings } = await setup(options);
  for (const warning of warnings) process.stderr.write(warning);
  const now = options.now ?? new Date();
  const progress = wantsProgress(options.progress, process.stderr, process.env, false);
  if (options.account) checkAccountChoice(options.account, loaded.config);
  const outcomes = await collectLive({
    loaded,
    facts: planFacts(checks, loaded.config),
    collectors: catalog.collectors,
    now,
    profile: options.profile,
    region: options.region,
    timeoutMs: remainingMs(options.timeout, options.startedAt),
    progress,
    accounts: options.account,
  });
  const snapshot = buildSnapshot({
    tool: { name: 'readiness', version: VERSION },
    collectedAt: now.toISOString(),
    project: loaded.config.project,
    configHash: loaded.hash,
    aws: loaded.config.aws ? awsOfSnapshot(outcomes, isMultiAccount(loaded.config)) : null,
    facts: outcomes,
  });
  // Collectors drop secret values; this is the net under them.
  await writeAtomically(options.out, redact(`${JSON.stringify(snapshot, null, 2)}\n`, secretValues(loaded.config, process.env)));
  const failed = [...outcomes.values()].filter((o) => !o.ok).length;
  process.stderr.write(`readiness: collected ${outcomes.size} facts (${failed} could not be read) → ${options.out}\n`);
  return 0;
}

/** The caller's account and regions; with several accounts, each account's identity (the accounts it holds, their regions). */
function awsOfSnapshot(outcomes: ReadonlyMap<string, FactOutcome>, several: boolean): NonNullable<Snapshot['aws']> {
  type Identity = { account: string; regions: string[] };
  if (!several) {
    const identity = outcomes.get(awsIdentity.id);
    return { account: identity?.ok ? (identity.value as Identity).account : null, regions: identity?.ok ? (identity.value as Identity).regions : [] };
  }
  const identities = [...outcomes].filter(([key]) => plainFactId(key) === awsIdentity.id && key !== awsIdentity.id);
  const accounts = identities.map(([key]) => key.slice(awsIdentity.id.length + 1)).sort();
  const regions = [...new Set(identities.flatMap(([, outcome]) => (outcome.ok ? (outcome.value as Identity).regions : [])))];
  return { account: null, regions, accounts };
}

/** `--account` names accounts of the config (with an organization, any account id: the listing decides). */
function checkAccountChoice(ids: readonly string[], config: Config): void {
  if (!isMultiAccount(config) && !isMultiProject(config)) throw new UsageError('--account needs aws.accounts, aws.organization or supabase.projects in the config');
  const known = ['shared', ...(config.aws?.accounts ?? []).map((a) => a.id), ...(config.supabase?.projects ?? []).map((p) => p.ref)];
  for (const id of ids) {
    if (known.includes(id) || (config.aws?.organization && /^\d{12}$/.test(id))) continue;
    throw new UsageError(`--account ${id}: not an account of aws.accounts nor a project of supabase.projects (known: ${known.join(', ')})`);
  }
}
