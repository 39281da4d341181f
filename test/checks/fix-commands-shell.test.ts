import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { collectors } from '../../src/collectors/index.js';
import { placeholdersIn } from '../../src/command-review.js';
import { DEMO_CONFIG, DEMO_SNAPSHOT } from '../../src/commands/setup.js';
import { loadConfig } from '../../src/config/load.js';
import { buildReport } from '../../src/engine/run.js';
import type { AnyCheck, FactOutcome, Finding, Report, Result } from '../../src/model.js';
import { readSnapshot } from '../../src/snapshot.js';

/**
 * Names are data: a bucket, secret, alarm, cluster or table named with a quote, a space or `$(...)` must reach the
 * command it is pasted into as one argument, and run nothing. The demo environment is renamed so that every name a
 * fix command carries ends with HOSTILE; each command is then run by bash against stub commands that record their argv.
 */
const HOSTILE = ` x'$(touch pwned)"\`touch pwned\``;
/** Commands the fix commands call: each stub records its argv (NUL-separated, one record per call). */
const STUBS = ['aws', 'psql', 'npx', 'npm', 'curl', 'open', 'git', 'jq', 'k6'];
/**
 * The demo's names that come from the environment or the config (AWS ids the provider generates, such as a VPC or
 * key id, are left as they are): buckets, cluster, distribution, secrets, users, policy, log groups, trail, stage,
 * tables, extensions, functions, secrets' names, hosts, documents, vendors and evidence files.
 */
const NAMES = [
  'mentalspaceehrstack-databaseb269d8bb',
  'mentalspace-ehr-files-706704660887',
  'mentalspace-ehr-videos-706704660887',
  'E1MSVIDEO7Q2XK',
  'mentalspace_ehr_uploads',
  'mentalspace-ehr/database/credentials-Xb12Cd',
  'mentalspace-ehr/twilio-Qw34Er',
  'jdoe',
  'mentalspace-deploy',
  'MentalSpaceEhrStack-ApiHandlerPolicy',
  'MentalSpaceEhrStack-ApiHandler5E7490E8-Xy9Qw2Er4Ty6',
  'MentalSpaceEhrStack-LogRetentionaae0aa3c5b4d-Ab3Cd5Ef7Gh9',
  'mentalspace-ehr-audit',
  'prod',
  ...['advancedmd_sync_log', 'appointments', 'audit_logs', 'billing_claims', 'chat_messages', 'clients', 'clinical_notes', 'profiles', 'telehealth_sessions', 'waiting_room_entries'],
  'pgcrypto',
  'uuid-ossp',
  ...['advancedmd-sync', 'appointment-reminders', 'health', 'telehealth-session', 'twilio-webhook'],
  ...['DATABASE_PASSWORD', 'DATABASE_ENDPOINT', 'DATABASE_NAME'],
  ...['mentalspaceehr.com', 'app.mentalspaceehr.com', 'api.mentalspaceehr.com', 'cdn.mentalspaceehr.com'],
  ...['docs/compliance/security-policies.md', 'docs/compliance/incident-response.md', 'docs/compliance/breach-notification.md', 'docs/ops/runbook.md'],
  'twilio',
  'reports/e2e/*.xml',
  'reports/k6-summary.json',
];

let dir: string;
let clean: Report;
let hostile: Report;
let rename: (value: unknown) => unknown;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'readiness-shell-'));
  mkdirSync(join(dir, 'bin'));
  for (const stub of STUBS) {
    const file = join(dir, 'bin', stub);
    writeFileSync(file, `#!/bin/sh\nprintf '%s\\0' "\${0##*/}" "$@" >> "$ARGV_LOG"\nprintf '\\001' >> "$ARGV_LOG"\n`);
    chmodSync(file, 0o755);
  }
  const loaded = await loadConfig(DEMO_CONFIG);
  const known = new Map([...collectors.values()].map((c) => [c.fact.id, c.fact]));
  const { snapshot, facts: demoFacts } = await readSnapshot(DEMO_SNAPSHOT, known);
  const facts = withMoreFailures(demoFacts);
  const build = (config: typeof loaded.config, outcomes: ReadonlyMap<string, FactOutcome>) =>
    buildReport({ loaded: { ...loaded, config }, checks: everyFindingOpen, outcomes, now: new Date(snapshot.collectedAt), source: { kind: 'demo', collectedAt: snapshot.collectedAt } });
  clean = build(loaded.config, facts);
  rename = renamer(NAMES);
  hostile = build(rename(loaded.config) as typeof loaded.config, new Map([...facts].map(([id, outcome]) => [id, rename(outcome) as FactOutcome])));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Only an open result is given a fix command, and the demo passes many checks: each check here says `fail` where it
 * would say `pass` or `not_applicable` (the same resource and args), so that every command a finding of the demo can
 * fill is run, not only those of the checks the demo fails.
 */
const everyFindingOpen: AnyCheck[] = allChecks.map((check) => ({
  ...check,
  evaluate: (facts: never, context: never) => check.evaluate(facts, context).map((finding: Finding) => (finding.status === 'pass' || finding.status === 'not_applicable' ? { ...finding, status: 'fail' as const } : finding)),
}));

describe('fix commands with hostile names', () => {
  it('the renamed demo gives the same findings with a command, most of them on a renamed resource', () => {
    const renamed = new Set(hostile.results.map(key));
    const missing = clean.results.filter((r) => r.remediation.command && !renamed.has(key({ ...r, resource: rename(r.resource) as string })));
    expect(missing.map(key)).toEqual([]);
    expect(hostile.results.filter((r) => r.remediation.command && r.resource.includes(HOSTILE)).length).toBeGreaterThan(40);
  });

  it('every command parses (bash -n), runs nothing from a name, and passes each name as one argument', () => {
    const failures: string[] = [];
    const pairs: { original: Result; result: Result }[] = [];
    const renamed = new Map(hostile.results.map((r) => [key(r), r]));
    for (const original of clean.results) {
      if (!original.remediation.command) continue;
      const result = renamed.get(key({ ...original, resource: rename(original.resource) as string }));
      if (!result) failures.push(`${original.checkId} ${original.resource}: no result once renamed`);
      // A command is left out only for a control character (none here): a quote or `$(` is no reason to drop it.
      else if (!result.remediation.command) failures.push(`${result.checkId} ${result.resource}: the command was dropped`);
      // A command the renaming left as it was carries no name: nothing to learn from running it.
      else if (result.remediation.command !== original.remediation.command) pairs.push({ original, result });
    }
    const runs = runAll(pairs.flatMap(({ original, result }) => [original.remediation.command!, result.remediation.command!]));
    const checked = new Set<string>();
    for (const { original, result } of pairs) {
      const command = result.remediation.command!;
      const ran = runs.get(command)!;
      const expected = runs.get(original.remediation.command!)!;
      if (ran.syntaxError) {
        failures.push(`${result.checkId}: bash -n: ${ran.syntaxError}\n  ${command}`);
        continue;
      }
      if (ran.pwned) failures.push(`${result.checkId}: a name ran a command\n  ${command}`);
      // Renamed, each argument is still one argument: the same number of them, in the same calls.
      if (JSON.stringify(shape(ran.calls)) !== JSON.stringify(shape(expected.calls))) {
        failures.push(`${result.checkId}: argv ${JSON.stringify(expected.calls)} became ${JSON.stringify(ran.calls)}\n  ${command}`);
      }
      // The resource's name, where the command passes it, arrives whole.
      const args = ran.calls.flat();
      if (expected.calls.flat().some((arg) => arg.includes(original.resource)) && result.resource.endsWith(HOSTILE) && !args.some((arg) => encodings(result.resource).some((name) => arg.includes(name)))) {
        failures.push(`${result.checkId}: no argument holds ${JSON.stringify(result.resource)}: ${JSON.stringify(ran.calls)}`);
      }
      checked.add(result.checkId);
    }
    expect(failures).toEqual([]);
    expect(checked.size).toBeGreaterThan(40);
    // Among them, the fixes that once took a name unquoted (aws.cognito.unauthenticated-identities now names the pool by its AWS-made id only).
    const once = ['aws.s3.versioning', 'aws.s3.tls-only', 'aws.s3.access-logging', 'aws.rds.force-ssl', 'aws.rds.disaster-recovery', 'aws.secrets.rotation', 'aws.iam.console-mfa', 'aws.iam.access-key-age', 'aws.iam.admin-policies', 'aws.apigateway.logging', 'aws.cloudtrail.enabled', 'aws.acm.domain-certificate', 'supabase.secrets.required', 'domain.dns.records', 'domain.cors.production-origin', 'compliance.vendor-baas'];
    expect(once.filter((id) => !checked.has(id))).toEqual([]);
  }, 240_000);
});

/** The demo with a few more failures, so that the checks whose fix it never prints print one too. */
function withMoreFailures(facts: ReadonlyMap<string, FactOutcome>): Map<string, FactOutcome> {
  const worse = new Map(facts);
  const change = (id: string, edit: (value: Record<string, unknown>[]) => Record<string, unknown>[]) => {
    const outcome = facts.get(id);
    if (outcome?.ok) worse.set(id, { ok: true, value: edit(outcome.value as Record<string, unknown>[]) });
  };
  change('aws.cloudtrail.trails', (trails) => trails.map((t) => ({ ...t, isLogging: false })));
  const ssh = { protocol: 'tcp', fromPort: 22, toPort: 22, ipv4: ['0.0.0.0/0'], ipv6: [], prefixLists: [], groups: [] };
  change('aws.ec2.security-groups', (groups) => groups.map((g) => ({ ...g, ingress: [...(g.ingress as unknown[]), ssh] })));
  return worse;
}

/** Each call's command and argument count (calls joined by a pipe may come in either order). */
function shape(calls: string[][]): string[] {
  return calls.map((call) => `${call[0]} ${call.length}`).sort();
}

/** A name as an argument may carry it: as is, in a JSON string, or in an SQL quoted identifier. */
function encodings(name: string): string[] {
  return [name, JSON.stringify(name).slice(1, -1), name.replaceAll('"', '""')];
}

function key(r: Pick<Result, 'checkId' | 'resource' | 'code'>): string {
  return `${r.checkId}\u0000${r.resource}\u0000${r.code}`;
}

/** The command with each `<placeholder>` replaced as a user would: by a plain word. */
function filled(command: string): string {
  let text = command;
  for (const placeholder of placeholdersIn(command)) text = text.replaceAll(placeholder, placeholder.slice(1, -1).toUpperCase());
  return text;
}

interface Run {
  syntaxError?: string;
  calls: string[][];
  pwned: boolean;
}

/**
 * Runs each distinct command once, by one bash driver (a process per command would take minutes on a loaded
 * machine): `bash -n` first, then the command with its placeholders filled, in a folder of its own, stubs first
 * on PATH, a line on stdin for `read`. Returns each stub call's argv, by command.
 */
function runAll(commands: string[]): Map<string, Run> {
  const distinct = [...new Set(commands)];
  const root = mkdtempSync(join(dir, 'runs-'));
  distinct.forEach((command, i) => {
    mkdirSync(join(root, String(i)));
    writeFileSync(join(root, `${i}.sh`), `${filled(command)}\n`);
  });
  const driver = `for i in $(seq 0 ${distinct.length - 1}); do
  bash -n "$i.sh" 2> "$i/syntax" || continue
  (cd "$i" && printf 'value\\n' | ARGV_LOG="$PWD/.argv" bash "../$i.sh" > /dev/null 2>&1)
done`;
  spawnSync('bash', ['-c', driver], { cwd: root, encoding: 'utf8', env: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin`, HOME: root, SUPABASE_DB_URL: 'postgres://stub', SUPABASE_ACCESS_TOKEN: 'stub' } });
  return new Map(
    distinct.map((command, i): [string, Run] => {
      const folder = join(root, String(i));
      const syntax = readFileSync(join(folder, 'syntax'), 'utf8').trim();
      const log = existsSync(join(folder, '.argv')) ? readFileSync(join(folder, '.argv'), 'utf8') : '';
      const calls = log
        .split('\u0001')
        .filter(Boolean)
        .map((record) => record.split('\u0000').slice(0, -1));
      return [command, { ...(syntax ? { syntaxError: syntax } : {}), calls, pwned: existsSync(join(folder, 'pwned')) }];
    }),
  );
}

/** A deep copy with each name (a whole string, or an ARN or path segment of one) given the HOSTILE ending. */
function renamer(names: string[]): (value: unknown) => unknown {
  const sorted = [...names].sort((a, b) => b.length - a.length);
  const escaped = sorted.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // A table's qualified name (`public.clients`) is renamed with the table.
  const segment = new RegExp(`(?<=^|[:/]|^public\\.)(${escaped.join('|')})(?=$|[:/])`, 'g');
  const renameString = (s: string) => s.replace(segment, (name) => `${name}${HOSTILE}`);
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return renameString(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value instanceof Date || value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [renameString(key), walk(v)]));
  };
  return walk;
}
