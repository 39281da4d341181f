import { createWriteStream } from 'node:fs';
import { appendFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { dirname, join } from 'node:path';
import type { CheckOptions, CommonOptions } from '../cli.js';
import { redactChunks, redactor, secretValues } from '../engine/redact.js';
import { buildReport, collectLive, planFacts } from '../engine/run.js';
import { errorMessage, UsageError } from '../errors.js';
import { awsIdentity } from '../facts/aws.js';
import type { FactOutcome, Report } from '../model.js';
import { renderChunks, reporters, type ReporterOptions } from '../reporters/index.js';
import { readSnapshot } from '../snapshot.js';
import { setup } from './setup.js';
import type { LoadedConfig } from '../config/load.js';

type AssessOptions = CommonOptions & Partial<Pick<CheckOptions, 'snapshot' | 'failUnder' | 'failOn'>>;

/** check: gather facts (live or snapshot) → report → files/stdout; returns the exit code. */
export async function runCheck(options: CheckOptions): Promise<number> {
  const formats = options.format ?? (options.out ? ['md', 'json'] : ['terminal']);
  if (formats.length === 0) throw new UsageError(`no format given to --format (formats: ${Object.keys(reporters).join(', ')})`);
  for (const format of formats) {
    if (!reporters[format]) throw new UsageError(`unknown format "${format}" (formats: ${Object.keys(reporters).join(', ')})`);
  }
  const { report, loaded } = await assess(options);
  const secrets = secretValues(loaded.config, process.env);
  const mask = redactor(secrets);
  const render = (format: string, renderOptions: ReporterOptions) => mask(reporters[format]!.render(report, renderOptions));
  const stream = (format: string, renderOptions: ReporterOptions) => redactChunks(renderChunks(format, report, renderOptions), secrets);
  const color = options.color && !options.ci && !process.env.NO_COLOR && (Boolean(process.env.FORCE_COLOR) || process.stdout.isTTY === true);

  if (options.out) {
    for (const format of formats) {
      await writeAtomically(join(options.out, `readiness-report.${reporters[format]!.extension}`), stream(format, { color: false }));
    }
    // The whole report is in the files: the terminal gets the verdict, the blockers and the section scores.
    process.stdout.write(render('terminal', { color, verbose: options.verbose ?? false, summary: true }));
    process.stdout.write(`\nReports written to ${options.out}: ${formats.map((f) => `readiness-report.${reporters[f]!.extension}`).join(', ')}\n`);
  } else {
    const [first, ...rest] = formats;
    for (const chunk of stream(first!, { color, verbose: options.verbose ?? false })) process.stdout.write(chunk);
    if (rest.length) process.stderr.write(`readiness: only ${first} was printed; pass --out DIR to write ${rest.join(', ')} too\n`);
  }
  if (options.baseline) {
    const { readReport } = await import('./diff.js');
    const { diffReports, formatDiff } = await import('../diff.js');
    process.stderr.write(`\nSince ${options.baseline}:\n${formatDiff(diffReports(await readReport(options.baseline), report))}`);
  }
  if (options.ci && process.env.GITHUB_ACTIONS === 'true' && !formats.includes('github')) process.stdout.write(render('github', {}));
  if (options.ci && process.env.GITHUB_STEP_SUMMARY) await appendFile(process.env.GITHUB_STEP_SUMMARY, render('md', {}));
  return report.verdict === 'READY' ? 0 : 1;
}

/** Config → facts (live, snapshot or demo) → report: what `check` and `plan` share. */
export async function assess(options: AssessOptions): Promise<{ report: Report; loaded: LoadedConfig }> {
  const { loaded, checks, snapshot } = await setup(options);
  const facts = planFacts(checks);

  let outcomes: ReadonlyMap<string, FactOutcome>;
  let source: Report['source'];
  let now = options.now ?? new Date();
  if (snapshot) {
    // Only the facts the selected checks read (and the caller identity) are validated and kept: no collector is loaded.
    const known = new Map([awsIdentity, ...facts].map((fact) => [fact.id, fact]));
    const read = await readSnapshot(snapshot, known);
    outcomes = read.facts;
    if (!options.demo && read.snapshot.configHash !== loaded.hash) {
      process.stderr.write(`readiness: ${snapshot} was collected with another version of ${loaded.file}: its facts follow that config\n`);
    }
    source = { kind: options.demo ? 'demo' : 'snapshot', snapshot, collectedAt: read.snapshot.collectedAt, ...(read.snapshot.aws?.regions[0] ? { region: read.snapshot.aws.regions[0] } : {}) };
    // The demo is a fixed moment (the seed's assessment): its report is the same every day.
    if (options.demo && !options.now) now = new Date(read.snapshot.collectedAt);
  } else {
    outcomes = await collectLive({ loaded, facts, now, profile: options.profile, region: options.region, timeoutMs: options.timeout * 1000 });
    source = { kind: 'live', ...(loaded.config.aws ? { region: options.region ?? loaded.config.aws.region ?? process.env.AWS_REGION ?? 'us-east-1' } : {}) };
  }

  const report = buildReport({ loaded, checks, outcomes, now, source, gate: { minScore: options.failUnder, failOn: options.failOn } });
  return { report, loaded };
}

/** A reader never sees a half-written report: write beside it (streamed, when given in pieces), then rename over it. */
export async function writeAtomically(file: string, content: string | Iterable<string>): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    if (typeof content === 'string') await writeFile(temporary, content);
    else await pipeline(Readable.from(content), createWriteStream(temporary));
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    // A path the user gave that cannot be written is bad usage, not an internal error.
    throw new UsageError(`cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`);
  }
}
