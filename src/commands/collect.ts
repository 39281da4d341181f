import type { CollectOptions } from '../cli.js';
import { redact, secretValues } from '../engine/redact.js';
import { collectLive, planFacts } from '../engine/run.js';
import { awsIdentity } from '../facts/aws.js';
import { buildSnapshot } from '../snapshot.js';
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
  const outcomes = await collectLive({ loaded, facts: planFacts(checks, loaded.config), collectors: catalog.collectors, now, profile: options.profile, region: options.region, timeoutMs: remainingMs(options.timeout, options.startedAt), progress });
  const identity = outcomes.get(awsIdentity.id);
  const snapshot = buildSnapshot({
    tool: { name: 'readiness', version: VERSION },
    collectedAt: now.toISOString(),
    project: loaded.config.project,
    configHash: loaded.hash,
    aws: loaded.config.aws
      ? { account: identity?.ok ? (identity.value as { account: string }).account : null, regions: identity?.ok ? (identity.value as { regions: string[] }).regions : [] }
      : null,
    facts: outcomes,
  });
  // Collectors drop secret values; this is the net under them.
  await writeAtomically(options.out, redact(`${JSON.stringify(snapshot, null, 2)}\n`, secretValues(loaded.config, process.env)));
  const failed = [...outcomes.values()].filter((o) => !o.ok).length;
  process.stderr.write(`readiness: collected ${outcomes.size} facts (${failed} could not be read) → ${options.out}\n`);
  return 0;
}
