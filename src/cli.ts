import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { redact, secretValues } from './engine/redact.js';
import { UsageError, errorMessage } from './errors.js';
import { SEVERITIES, type Severity } from './model.js';
import { VERSION } from './version.js';

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
}

export interface PlanOptions extends CommonOptions {
  snapshot?: string;
  out?: string;
}

export interface CollectOptions extends CommonOptions {
  out: string;
}

const list = (value: string): string[] => value.split(',').map((v) => v.trim()).filter(Boolean);

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of seconds');
  return n;
}

function percent(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError('expected a score from 0 to 100');
  return n;
}

function isoTime(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) throw new InvalidArgumentError('expected an ISO time, e.g. 2025-10-11T22:30:00Z');
  return date;
}

function severity(value: string): Severity {
  if (!(SEVERITIES as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${SEVERITIES.join(', ')}`);
  return value as Severity;
}

function withCommonOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'config file (default: readiness.config.yaml here or in the nearest parent folder, up to the repository root)')
    .option('--demo', 'use the bundled demo environment (offline, no credentials)')
    .option('--only <ids>', 'only these check ids or prefixes (comma-separated)', list)
    .option('--skip <ids>', 'skip these check ids or prefixes (comma-separated)', list)
    .option('--section <ids>', 'only these sections (aws, supabase, application, domain, monitoring, compliance, info)', list)
    .option('--timeout <seconds>', 'bound on the whole run; what has not answered is unverified', positiveNumber, 120)
    .option('--profile <name>', 'AWS profile (else AWS_PROFILE / the default chain)')
    .option('--region <name>', 'AWS region (overrides aws.region and aws.regions)')
    .option('--now <iso-time>', 'fix the clock for expiries, ages and the report time', isoTime)
    .option('--debug', 'print stack traces of internal errors');
}

/** The exit code an action decides; kept per run (not in process.exitCode) so `main` can be called again in-process. */
export interface RunState {
  exitCode: number;
}

export function buildProgram(state: RunState = { exitCode: 0 }): Command {
  const program = new Command('readiness')
    .description('Is a HIPAA product on AWS + Supabase ready for production? Scored, evidence-based report.')
    .version(VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({
      writeErr: (text) => process.stderr.write(text),
      // One line, like every other usage error.
      outputError: (text, write) => write(`readiness: ${text.replace(/^error: /, '').trim()} (run readiness --help for usage)\n`),
    });

  withCommonOptions(
    program
      .command('check')
      .description('evaluate every check against the live environment (or a snapshot) and write the report')
      .option('--snapshot <file>', 'evaluate offline from a snapshot written by `readiness collect`')
      .option('--baseline <file>', 'a previous JSON report: print what regressed and what was fixed since (to stderr)')
      .option('-f, --format <formats>', 'terminal, md, json (comma-separated)', list)
      .option('-o, --out <dir>', 'write readiness-report.<ext> for each format into this folder')
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
      .requiredOption('-o, --out <file>', 'snapshot file to write'),
  ).action(async (options: CollectOptions) => {
    const { runCollect } = await import('./commands/collect.js');
    state.exitCode = await runCollect(options);
  });

  withCommonOptions(
    program
      .command('plan')
      .description('write the fixes as one reviewable shell script, in critical-path order (never run by readiness)')
      .option('--snapshot <file>', 'plan from a snapshot written by `readiness collect`')
      .option('-o, --out <file>', 'script to write (default: stdout)'),
  ).action(async (options: PlanOptions) => {
    const { runPlan } = await import('./commands/plan.js');
    state.exitCode = await runPlan(options);
  });

  program
    .command('list')
    .description('list the checks')
    .option('--section <ids>', 'only these sections', list)
    .option('--json', 'as JSON')
    .action(async (options: { section?: string[]; json?: boolean }) => {
      const { runList } = await import('./commands/list.js');
      process.stdout.write(runList(options));
    });

  program
    .command('explain')
    .description('what a check verifies, why, the facts and IAM permissions it needs, and how to fix it')
    .argument('<id>', 'check id, e.g. aws.rds.deletion-protection')
    .action(async (id: string) => {
      const { runExplain } = await import('./commands/explain.js');
      process.stdout.write(await runExplain(id));
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
    .option('-o, --out <file>', 'config file to write', 'readiness.config.yaml')
    .option('--force', 'overwrite the file if it exists')
    .option('--profile <name>', 'AWS profile (else AWS_PROFILE / the default chain)')
    .option('--region <name>', 'AWS region (else AWS_REGION, else us-east-1)')
    .option('--project <name>', 'project name shown in reports (default: the folder name)')
    .option('--supabase <ref>', 'also fill the supabase section: this project (token from SUPABASE_ACCESS_TOKEN) and the repository (functions, migrations, secrets, PHI tables)')
    .option('--timeout <seconds>', 'bound on the discovery', positiveNumber, 60)
    .action(async (options: InitOptions) => {
      const { runInit } = await import('./commands/init.js');
      state.exitCode = await runInit(options);
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const state: RunState = { exitCode: 0 };
  const program = buildProgram(state);
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
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return 2;
  }
}

/** The exit-2 contract is one line on stderr, even when a parser's message quotes a newline. */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ');
}
