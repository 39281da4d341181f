import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectors } from '../../src/collectors/index.js';
import type { FactDefinition } from '../../src/model.js';
import { grantedActions, iamAction, IAM_PREFIX_OF_PACKAGE, isReadOnly } from '../support/iam-actions.js';

// Read-only proof. Statically finds every AWS call a collector can make (SDK `XxxCommand` /
// `paginateXxx`, and the IAM action named for signed REST calls such as Artifact's), maps it to
// its IAM action, and checks: the verb is read-only, the action is in iam/readiness-policy.json,
// the policy grants nothing else, and each fact's `permissions` match what its collector calls.

const ROOT = join(import.meta.dirname, '../..');
const COLLECTORS = join(ROOT, 'src/collectors');

const IAM_ACTION = /^[a-z0-9-]+:[A-Z][A-Za-z0-9]*$/;
/**
 * Not a read of the environment but how the tool gets credentials for another account (`aws.accounts`,
 * `aws.organization`): granted in a statement of its own, only on the member accounts' read-only role.
 */
const CREDENTIAL_ACTIONS = new Set(['sts:AssumeRole']);

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')).map((e) => join(e.parentPath, e.name));
}

interface FileCalls {
  file: string;
  actions: Set<string>;
  unresolved: string[];
  collectedFacts: string[];
}

async function callsOf(file: string): Promise<FileCalls> {
  const text = await readFile(file, 'utf8');
  const packages = [...new Set([...text.matchAll(/'@aws-sdk\/client-([a-z0-9-]+)'/g)].map((m) => m[1]!))];
  const modules = await Promise.all(packages.map(async (name) => ({ name, exports: new Set(Object.keys(await import(`@aws-sdk/client-${name}`))) })));
  const operations = new Set([
    ...[...text.matchAll(/\b([A-Z][A-Za-z0-9]+)Command\b/g)].map((m) => m[1]!),
    ...[...text.matchAll(/\bpaginate([A-Z][A-Za-z0-9]+)\s*\(/g)].map((m) => m[1]!),
  ]);
  const actions = new Set<string>();
  const unresolved: string[] = [];
  for (const operation of operations) {
    const owners = modules.filter((m) => m.exports.has(`${operation}Command`));
    const prefix = owners.length === 1 ? IAM_PREFIX_OF_PACKAGE[owners[0]!.name] : undefined;
    if (!prefix) unresolved.push(operation);
    else actions.add(iamAction(prefix, operation));
  }
  // Actions named in string literals: signed REST calls (Artifact, S3 account settings) and error mapping.
  for (const m of text.matchAll(/'([a-z0-9-]+:[A-Z][A-Za-z0-9]*)'/g)) actions.add(m[1]!);
  const collectedFacts = [...text.matchAll(/defineCollector\(\s*([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  return { file: file.slice(ROOT.length + 1), actions, unresolved, collectedFacts };
}

const granted = await grantedActions();
const files = await Promise.all((await sourceFiles(COLLECTORS)).map(callsOf));
const called = new Set(files.flatMap((f) => [...f.actions]));
const factsById = new Map([...collectors.values()].map((c) => [c.fact.id, c.fact as FactDefinition]));
const awsPermissions = (fact: FactDefinition) => fact.permissions.filter((p) => IAM_ACTION.test(p) || p === 'apigateway:GET');

describe('read-only proof', () => {
  it('finds the AWS calls (sanity: the scan sees known ones)', () => {
    expect(called).toContain('rds:DescribeDBClusters');
    expect(called).toContain('sns:ListSubscriptionsByTopic');
    expect(called).toContain('artifact:ListCustomerAgreements');
    expect(called).toContain('apigateway:GET');
  });

  it('every SDK operation in src/collectors resolves to one client', () => {
    expect(files.filter((f) => f.unresolved.length).map((f) => `${f.file}: ${f.unresolved.join(', ')}`)).toEqual([]);
  });

  it('every call is read-only (Describe/List/Get/Head, apigateway:GET) and never reads a secret value', () => {
    expect([...called].filter((action) => !isReadOnly(action) && !CREDENTIAL_ACTIONS.has(action))).toEqual([]);
  });

  it('the one credential action, sts:AssumeRole, is granted alone and only on the read-only role', async () => {
    const policy = JSON.parse(await readFile(join(ROOT, 'iam/readiness-policy.json'), 'utf8')) as { Statement: { Action: string[]; Resource: string }[] };
    const statements = policy.Statement.filter((s) => s.Action.some((a) => CREDENTIAL_ACTIONS.has(a)));
    expect(statements.map((s) => [s.Action, s.Resource])).toEqual([[['sts:AssumeRole'], 'arn:aws:iam::*:role/readiness-read-only']]);
  });

  it('the policy covers every call, and grants nothing else (least privilege, no wildcards)', () => {
    expect([...called].filter((action) => !granted.has(action)).sort()).toEqual([]);
    expect([...granted].filter((action) => !called.has(action)).sort()).toEqual([]);
    expect([...granted].filter((action) => action.includes('*') || (!isReadOnly(action) && !CREDENTIAL_ACTIONS.has(action)))).toEqual([]);
  });

  it("each fact's permissions match what its collector file calls (what `readiness explain` prints)", () => {
    const mismatches: string[] = [];
    for (const file of files.filter((f) => f.file.startsWith('src/collectors/aws/'))) {
      const declared = new Set(
        file.collectedFacts.flatMap((name) => {
          const fact = [...factsById.values()].find((f) => factExportName.get(f) === name);
          return fact ? awsPermissions(fact) : [`<unknown fact ${name}>`];
        }),
      );
      const missing = [...file.actions].filter((a) => !declared.has(a) && !CREDENTIAL_ACTIONS.has(a));
      const extra = [...declared].filter((a) => !file.actions.has(a));
      if (missing.length || extra.length) mismatches.push(`${file.file}: calls but does not declare [${missing.join(', ')}]; declares but does not call [${extra.join(', ')}]`);
    }
    expect(mismatches).toEqual([]);
  });

  it('every AWS permission a registered fact declares is granted by the policy', () => {
    const ungranted = [...factsById.values()].flatMap((fact) => awsPermissions(fact).filter((p) => !granted.has(p)).map((p) => `${fact.id}: ${p}`));
    expect(ungranted).toEqual([]);
  });
});

/** Export name → fact definition, from every module in src/facts (collectors name facts by their export). */
const factExportName = new Map<FactDefinition, string>();
for (const file of await sourceFiles(join(ROOT, 'src/facts'))) {
  const module = (await import(file)) as Record<string, unknown>;
  for (const [name, value] of Object.entries(module)) {
    if (value && typeof value === 'object' && 'id' in value && 'permissions' in value) factExportName.set(value as FactDefinition, name);
  }
}
