import { Command, CommanderError, Option } from './commander.js';
import { formatList, idList, isoTime, path, percent, seconds, severity } from './cli-parsers.js';
import { redact, secretValues } from './engine/redact.js';
import { UsageError, errorMessage } from './errors.js';
import type { Severity } from './model.js';
import { VERSION } from './version.js';
import { FORMATS } from './reporters/formats.js';

export interface CommonOptions {
  config?: string;
  demo?: boolean;
  only?: string[];
  skip?: string[];
  section?: string[];
  timeout: number;
  profile?: string;
  region?: string;
  now?: Date;
  debug?: boolean;
  /** When the process started (ms since the epoch): --timeout counts from it. Set by `main`. */
  startedAt?: number;
  progress?: boolean;
}

export interface CheckOptions extends CommonOptions {
  snapshot?: string;
  baseline?: string;
  format: string[];
  out?: string;
  failUnder?: number;
  failOn?: Severity;
  ci?: boolean;
  color: boolean;
  verbose?: boolean;
}

export interface InitOptions {
  out: string;
  force?: boolean;
  profile?: string;
  region?: string;
  project?: string;
  supabase?: string;
  timeout: number;
  startedAt?: number;
}

export interface PlanOptions extends CommonOptions {
  snapshot?: string;
  out?: string;
}

export interface CollectOptions extends CommonOptions {
  out: string;
  account?: string[];
}

/** `collect` reads a live environment: the demo (a recorded snapshot) is not offered there. */
function withCommonOptions(command: Command, { demo = true }: { demo?: boolean } = {}): Command {
  command.option('-c, --config <file>', 'config file (default: readiness.config.yaml here or in the nearest parent folder, up to the repository root)', path);
  if (demo) command.option('--demo', 'use the bundled demo environment (offline, no credentials)');
  return command
    .option('--only <ids>', 'only these check ids or prefixes (comma-separated)', idList)
    .option('--skip <ids>', 'skip these check ids or prefixes (comma-separated)', idList)
    .option('--section <ids>', 'only these sections (aws, supabase, application, domain, monitoring, compliance, info)', idList)
    .option('--timeout <seconds>', 'bound on the whole run; what has not answered is unverified', seconds, 120)
    .option('--profile <name>', 'AWS profile (else AWS_PROFILE / the default chain)')
    .option('--region <name>', 'AWS region (overrides aws.region and aws.regions)')
    .option('--now <iso-time>', 'fix the clock for expiries, ages and the report time', isoTime)
    .option('--debug', 'print stack traces of internal errors')
    .option('--progress', 'show collection progress on stderr (default: on a terminal, after a second, never in CI)')
    .option('--no-progress', 'never show collection progress');
}

/** The exit code an action decides; kept per run (not in process.exitCode) so `main` can be called again in-process. */
export interface RunState {
  exitCode: number;
}

export interface MainOptions {
  /** When the process started (ms since the epoch); --timeout covers everything from then. Default: now. */
  startedAt?: number;
}

export function buildProgram(state: RunState = { exitCode: 0 }): Command {
  const program = new Command('readiness')
    .description('Is a HIPAA product on AWS + Supabase ready for production? Scored, evidence-based report.')
    .version(VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({
      // Commander shows the whole help on stderr when no command is given: one line instead, as for any usage error.
      writeErr: (text) => process.stderr.write(text.startsWith('Usage:') ? 'readiness: no command given (run readiness --help for usage)\n' : text),
      // One line, like every other usage error.
      outputError: (text, write) => write(`readiness: ${oneLine(text.replace(/^error: /, '').trim())} (run readiness --help for usage)\n`),
    });

  withCommonOptions(
    program
      .command('check')
      .description('evaluate every check against the live environment (or a snapshot) and write the report')
      .option('--snapshot <file>', 'evaluate offline from a snapshot written by `readiness collect`', path)
      .option('--baseline <file>', 'a previous JSON report: print what regressed and what was fixed since (to stderr)', path)
      .option('-f, --format <formats>', `${FORMATS.join(', ')} (comma-separated; without --out the first goes to stdout)`, formatList)
      .option('-o, --out <dir>', 'write readiness-report.<ext> for each format into this folder', path)
      .option('--fail-under <score>', 'minimum score for the gate (overrides gate.minScore)', percent)
      .addOption(new Option('--fail-on <severity>', 'open findings of this severity or worse fail the gate').argParser(severity))
      .option('--ci', 'CI mode: no colour, step summary to $GITHUB_STEP_SUMMARY when set')
      .option('--no-color', 'no ANSI colours (NO_COLOR is honoured too)')
      .option('--verbose', 'terminal format: list passed results too'),
  ).action(async (options: CheckOptions) => {
    const { runCheck } = await import('./commands/check.js');
    state.exitCode = await runCheck(options);
  });

  withCommonOptions(
    program
      .command('collect')
      .description('collect the facts the checks need and record them in a snapshot (no secret values)')
      .requiredOption('-o, --out <file>', 'snapshot file to write', path)
      .option('--account <ids>', 'with aws.accounts, aws.organization or supabase.projects: only these AWS account ids or Supabase project refs (comma-separated; `shared` for the facts of none), one CI job each, joined by `readiness merge`', idList),
    { demo: false },
  ).action(async (options: CollectOptions) => {
    const { runCollect } = await import('./commands/collect.js');
    state.exitCode = await runCollect(options);
  });

  withCommonOptions(
    program
      .command('plan')
      .description('write the fixes as one reviewable shell script, in critical-path order (never run by readiness)')
      .option('--snapshot <file>', 'plan from a snapshot written by `readiness collect`', path)
      .option('-o, --out <file>', 'script to write (default: stdout)', path),
  ).action(async (options: PlanOptions) => {
    const { runPlan } = await import('./commands/plan.js');
    state.exitCode = await runPlan(options);
  });

  program
    .command('merge')
    .description('merge snapshots written by `readiness collect` (e.g. one per CI job) into one, for `check --snapshot`')
    .argument('<snapshots...>', 'snapshot files')
    .requiredOption('-o, --out <file>', 'merged snapshot to write')
    .action(async (files: string[], options: { out: string }) => {
      const { runMerge } = await import('./commands/merge.js');
      state.exitCode = await runMerge(files, options);
    });

  program
    .command('list')
    .description('list the checks')
    .option('-c, --config <file>', "config file whose plugins' checks are listed too (default: readiness.config.yaml here or in the nearest parent folder)", path)
    .option('--section <ids>', 'only these sections', idList)
    .option('--json', 'as JSON')
    .action(async (options: { section?: string[]; json?: boolean; config?: string }) => {
      const { runList } = await import('./commands/list.js');
      process.stdout.write(await runList(options));
    });

  program
    .command('explain')
    .description('what a check verifies, why, the facts and IAM permissions it needs, and how to fix it')
    .argument('<id>', 'check id, e.g. aws.rds.deletion-protection')
    .option('-c, --config <file>', "config file whose plugins' checks can be explained too (default: readiness.config.yaml here or in the nearest parent folder)", path)
    .action(async (id: string, options: { config?: string }) => {
      const { runExplain } = await import('./commands/explain.js');
      process.stdout.write(await runExplain(id, options));
    });

  program
    .command('new-check')
    .description('scaffold a TypeScript plugin check (readiness/checks/<id>.ts, beside the config) and its table-driven test')
    .argument('<id>', 'namespaced check id, e.g. acme.runbook-owner')
    .option('-c, --config <file>', 'config file whose folder gets readiness/checks/ (default: readiness.config.yaml here or in the nearest parent folder, else here)', path)
    .action(async (id: string, options: { config?: string }) => {
      const { runNewCheck } = await import('./commands/new-check.js');
      process.stdout.write(await runNewCheck(id, options));
    });

  program
    .command('diff')
    .description('compare two JSON reports: regressions, fixes, score change (exit 1 on a regression)')
    .argument('<before>', 'earlier readiness-report.json')
    .argument('<after>', 'later readiness-report.json')
    .option('--json', 'as JSON')
    .action(async (before: string, after: string, options: { json?: boolean }) => {
      const { runDiff } = await import('./commands/diff.js');
      state.exitCode = await runDiff(before, after, options);
    });

  program
    .command('init')
    .description('write a first, commented config from what the AWS account already has (read-only discovery)')
    .option('-o, --out <file>', 'config file to write', path, 'readiness.config.yaml')
    .option('--force', 'overwrite the file if it exists')
    .option('--profile <name>', 'AWS profile (else AWS_PROFILE / the default chain)')
    .option('--region <name>', 'AWS region (else AWS_REGION, else us-east-1)')
    .option('--project <name>', 'project name shown in reports (default: the folder name)')
    .option('--supabase <ref>', 'also fill the supabase section: this project (token from SUPABASE_ACCESS_TOKEN) and the repository (functions, migrations, secrets, PHI tables)')
    .option('--timeout <seconds>', 'bound on the discovery', seconds, 60)
    .action(async (options: InitOptions) => {
      const { runInit } = await import('./commands/init.js');
      state.exitCode = await runInit(options);
    });

  return program;
}

export async function main(argv: string[], { startedAt = Date.now() }: MainOptions = {}): Promise<number> {
  const state: RunState = { exitCode: 0 };
  const program = buildProgram(state);
  program.hook('preAction', (_program, action) => {
    if (typeof action.opts().timeout === 'number') action.setOptionValue('startedAt', startedAt);
  });
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`readiness: ${oneLine(error.message)}\n`);
      return 2;
    }
    // No config is at hand here, but the environment's secrets (tokens, DB URLs) are still masked.
    const message = redact(errorMessage(error).split('\n')[0]!, secretValues({}, process.env));
    process.stderr.write(`readiness: internal error: ${message}${debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${redact(error.stack, secretValues({}, process.env))}\n`);
    return 2;
  }
}

/** The exit-2 contract is one line on stderr, even when a parser's message quotes a newline. */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ');
}
