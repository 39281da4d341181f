import { createHash, randomBytes } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { PACKAGE_ROOT } from '../version.js';
import type { CheckOptions, CommonOptions } from '../cli.js';
import { redact, redactReport, secretValues } from '../engine/redact.js';
import { buildReport, collectLive, planFacts } from '../engine/run.js';
import { errorMessage, UsageError } from '../errors.js';
import { awsIdentity } from '../facts/aws.js';
import { organizationAccounts } from '../facts/aws-organization.js';
import type { FactOutcome, Report } from '../model.js';
import type { ReporterOptions } from '../reporters/index.js';
import { loadReporters, REPORTER_FORMATS } from '../reporters/load.js';
import { colourPalette } from '../reporters/palette.js';
import { readSnapshot, readSnapshotBytes, type Snapshot } from '../snapshot.js';
import { checkOutputFolder, writeAtomically } from './output.js';
import { DEMO_SNAPSHOT, setup } from './setup.js';
import { remainingMs } from '../deadline.js';
import type { LoadedConfig } from '../config/load.js';
import { repositoryPath, resultLocation } from '../config/locations.js';

type AssessOptions = CommonOptions &
  Partial<Pick<CheckOptions, 'snapshot' | 'failUnder' | 'failOn' | 'ci'>> & {
    /** The `--snapshot` file's bytes, already being read (see startReading). */
    snapshotBytes?: (() => Promise<Buffer>) | undefined;
  };

/** check: gather facts (live or snapshot) → report → files/stdout; returns the exit code. */
export async function runCheck(options: CheckOptions): Promise<number> {
  // The snapshot is read while the code that will judge it loads: the read waits on the disk, the loading on the CPU.
  const snapshotBytes = options.snapshot && !options.demo ? startReading(options.snapshot) : undefined;
  const formats = options.format ?? (options.out ? ['md', 'json'] : ['terminal']);
  if (formats.length === 0) throw new UsageError(`no format given to --format (formats: ${REPORTER_FORMATS.join(', ')})`);
  for (const format of formats) {
    if (!REPORTER_FORMATS.includes(format)) throw new UsageError(`unknown format "${format}" (formats: ${REPORTER_FORMATS.join(', ')})`);
  }
  // Only the reporters this run writes: the formats asked for, the terminal summary beside files, GitHub's under --ci.
  const reporters = await loadReporters([...formats, ...(options.out ? ['terminal'] : []), ...(options.ci ? ['github', 'md'] : [])]);
  // Every input is read before the run, so a bad one stops it (with one line) before anything is written.
  const baseline = options.baseline ? await (await import('./diff.js')).readReport(options.baseline) : undefined;
  if (options.out) await checkOutputFolder(options.out);
  const assessed = await assess({ ...options, snapshotBytes });
  const { loaded } = assessed;
  const secrets = secretValues(loaded.config, process.env);
  // Masked once, as data: every format renders from it, so no output needs scanning for secrets.
  const report = redactReport(assessed.report, secrets);
  // Compared before anything is written: a baseline of another project is refused with one line.
  const since = baseline ? (await import('../diff.js')).diffReports(baseline, report) : undefined;
  const render = (format: string, renderOptions: ReporterOptions) => reporters.get(format)!.render(report, { location, ...renderOptions });
  const stream = (format: string, renderOptions: ReporterOptions) => {
    const reporter = reporters.get(format)!;
    return reporter.chunks ? reporter.chunks(report, { location, ...renderOptions }) : [reporter.render(report, { location, ...renderOptions })];
  };
  const color = options.color && !options.ci && !process.env.NO_COLOR && (Boolean(process.env.FORCE_COLOR) || process.stdout.isTTY === true);
  const palette = color ? await colourPalette() : undefined;
  // Wrapped to a terminal's width; a pipe, a file or a CI log gets whole lines (they wrap, search and diff better).
  const width = process.stdout.isTTY === true ? process.stdout.columns : undefined;

  const location = resultLocation(repositoryPath(loaded.file), loaded.config, loaded.lineOf);
  const files = options.out ? formats.map((format) => [format, join(options.out!, `readiness-report.${reporters.get(format)!.extension}`)] as const) : [];
  const reportLocation = fullReportLocation(files.map(([, file]) => file), Boolean(options.ci && process.env.GITHUB_STEP_SUMMARY));

  if (options.out) {
    // Each file is rendered and written before its rename is awaited: the renames run while the next file renders.
    const written = settleAll(files.map(async ([format, file]) => writeWithChecksum(file, stream(format, { reportLocation }))));
    // The whole report is in the files: the terminal gets the verdict, the blockers and the section scores (rendered
    // while the last renames finish, printed once every file is in place).
    const summary = render('terminal', { palette, verbose: options.verbose ?? false, summary: true, width, reportFiles: files.map(([, file]) => file) });
    await written;
    process.stdout.write(summary);
  } else {
    const [first, ...rest] = formats;
    for (const chunk of stream(first!, { palette, verbose: options.verbose ?? false, reportLocation, width })) process.stdout.write(chunk);
    if (rest.length) process.stderr.write(`readiness: only ${first} was printed; pass --out DIR to write ${rest.join(', ')} too\n`);
  }
  if (since) {
    const { formatDiff } = await import('../diff.js');
    process.stderr.write(`\nSince ${options.baseline}:\n${formatDiff(since)}`);
  }
  if (options.ci) await reportToGitHub(report, options, formats, files, () => render('github', { reportLocation }), () => render('md', {}));
  const { exitReason } = report;
  if (exitReason.code === 3) {
    const line = `readiness: NOT READY because the tool could not see: ${exitReason.cause}${exitReason.fix ? ` — fix: ${exitReason.fix}` : ''} (exit 3)`;
    process.stderr.write(`${redact(line.replace(/\s*\n\s*/g, ' '), secrets)}\n`);
  }
  return exitReason.code;
}

/**
 * `--ci` under GitHub Actions, whatever the formats: the annotations on stdout (unless stdout already holds them),
 * the markdown report in the step summary, and the verdict for later steps in `$GITHUB_OUTPUT`.
 */
async function reportToGitHub(report: Report, options: CheckOptions, formats: string[], files: readonly (readonly [string, string])[], annotations: () => string, markdown: () => string): Promise<void> {
  const { GITHUB_ACTIONS, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT } = process.env;
  if (GITHUB_ACTIONS === 'true' && (options.out || formats[0] !== 'github')) process.stdout.write(annotations());
  if (GITHUB_STEP_SUMMARY) await appendOrWarn(GITHUB_STEP_SUMMARY, 'GITHUB_STEP_SUMMARY', markdown);
  if (GITHUB_OUTPUT) {
    const outputs: [string, string][] = [['verdict', report.verdict], ['score', String(report.score)], ['exit-reason', report.exitReason.reason]];
    if (options.out) outputs.push(['report-dir', options.out]);
    for (const [format, file] of files) outputs.push([`report-${format}`, file]);
    await appendOrWarn(GITHUB_OUTPUT, 'GITHUB_OUTPUT', () => outputs.map(([name, value]) => githubOutput(name, value)).join(''));
  }
}

/**
 * The report, and beside it `<file>.sha256` in `sha256sum` format (`sha256sum -c readiness-report.json.sha256`):
 * a sidecar, not a field, so the report's bytes are exactly what was hashed and any tool can check them.
 */
async function writeWithChecksum(file: string, chunks: Iterable<string>): Promise<void> {
  const hash = createHash('sha256');
  await writeAtomically(file, chunks, hash);
  await writeAtomically(`${file}.sha256`, `${hash.digest('hex')}  ${basename(file)}\n`);
}

/**
 * Every file written, each rendered while the files before it are still being renamed into place (a rename over last
 * run's report waits for the file's blocks on ext4: tens of ms for a 40 MB report). The first failure, in files'
 * order, is the one reported, once every write has settled (each removes its own temporary).
 */
async function settleAll(writes: Promise<void>[]): Promise<void> {
  const settled = await Promise.allSettled(writes);
  const failure = settled.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
}

/** Where the whole report is, for the GitHub summary annotation: the files written, the step summary. */
function fullReportLocation(files: string[], stepSummary: boolean): string | undefined {
  const places = [...(files.length ? [files.join(', ')] : []), ...(stepSummary ? ['the step summary'] : [])];
  return places.length ? places.join(' and ') : undefined;
}

/** A CI file that cannot be written loses that file, never the verdict: one line on stderr, and the gate's exit code. */
async function appendOrWarn(file: string, variable: string, content: () => string): Promise<void> {
  try {
    await appendFile(file, content());
  } catch (error) {
    process.stderr.write(`readiness: warning: cannot write ${variable} (${file}): ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}\n`);
  }
}

/** `name=value`, or the delimited form for a value with a line break (which would otherwise start another output). */
export function githubOutput(name: string, value: string): string {
  if (!/[\r\n]/.test(value)) return `${name}=${value}\n`;
  let delimiter = 'READINESS_EOF';
  while (value.includes(delimiter)) delimiter += `_${randomBytes(4).toString('hex')}`;
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/**
 * The snapshot's facts as written are not read once validated (`facts` holds the validated outcomes): let them go,
 * rather than keep a second copy of every fact that each garbage collection of the run walks again.
 */
function withoutWrittenFacts<T extends { snapshot: Snapshot }>(read: T): T {
  return { ...read, snapshot: { ...read.snapshot, facts: {} } };
}

/**
 * A snapshot's bytes, read from now on, handed over once: whoever takes them holds the only reference (at 100k
 * resources they are 134 MB, not to be kept to the end of the run). A failure is reported where they are taken (after
 * any config error), as ever.
 */
function startReading(file: string): () => Promise<Buffer> {
  let reading: Promise<Buffer> | undefined = readSnapshotBytes(file);
  reading.catch(() => {});
  return () => {
    const taken = reading ?? readSnapshotBytes(file);
    reading = undefined;
    return taken;
  };
}

/** Config → facts (live, snapshot or demo) → report: what `check` and `plan` share. */
export async function assess(options: AssessOptions): Promise<{ report: Report; loaded: LoadedConfig }> {
  const { loaded, checks, catalog, snapshot, selection, warnings } = await setup(options);
  const facts = planFacts(checks, loaded.config);
  // Only the facts the selected checks read (and the caller identity) are validated and kept: no collector is loaded.
  // The demo's snapshot is the tool's own (see readSnapshot): taken as written; one the user names is validated.
  const known = new Map([awsIdentity, organizationAccounts, ...facts].map((fact) => [fact.id, fact]));
  const read = snapshot ? withoutWrittenFacts(await readSnapshot(snapshot, known, { bundled: Boolean(options.demo) && snapshot === DEMO_SNAPSHOT, bytes: options.snapshotBytes })) : undefined;
  // Printed once the inputs are valid: a rejection stays one line.
  for (const warning of warnings) process.stderr.write(warning);

  let outcomes: ReadonlyMap<string, FactOutcome>;
  let source: Report['source'];
  let now = options.now ?? new Date();
  if (snapshot && read) {
    outcomes = read.facts;
    if (!options.demo && read.snapshot.configHash !== loaded.hash) {
      process.stderr.write(`readiness: ${snapshot} was collected with another version of ${loaded.file}: its facts follow that config\n`);
    }
    // The demo's snapshot is named from the package, never by a path of the machine it ran on.
    const named = options.demo ? relative(PACKAGE_ROOT, snapshot).split(sep).join('/') : snapshot;
    source = {
      kind: options.demo ? 'demo' : 'snapshot',
      snapshot: named,
      // Of the bytes validated: no second read of a file that may have changed since.
      snapshotSha256: read.sha256,
      collectedAt: read.snapshot.collectedAt,
      ...(read.snapshot.aws?.regions[0] ? { region: read.snapshot.aws.regions[0] } : {}),
    };
    // The demo is a fixed moment (the seed's assessment): its report is the same every day.
    if (options.demo && !options.now) now = new Date(read.snapshot.collectedAt);
  } else {
    // Loaded here: a snapshot or demo run needs neither.
    const [{ wantsProgress }, { resolveRegion }] = await Promise.all([import('../engine/progress.js'), import('../collectors/aws/session.js')]);
    const progress = wantsProgress(options.progress, process.stderr, process.env, options.ci);
    outcomes = await collectLive({ loaded, facts, collectors: catalog.collectors, now, profile: options.profile, region: options.region, timeoutMs: remainingMs(options.timeout, options.startedAt), progress });
    const region = resolveRegion({ config: loaded.config.aws, env: process.env, profile: options.profile, region: options.region });
    source = { kind: 'live', ...(loaded.config.aws ? { region } : {}) };
  }

  const report = buildReport({ loaded, checks, outcomes, now, source, gate: { minScore: options.failUnder, failOn: options.failOn }, selection });
  return { report, loaded };
}
