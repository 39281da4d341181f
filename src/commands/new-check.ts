import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { findConfigFile } from '../config/find.js';
import { loadConfig } from '../config/load.js';
import { builtinNamespaces, CHECK_ID } from '../engine/registry.js';
import { errorMessage, UsageError } from '../errors.js';
import { makeFolders } from './output.js';

export const CHECKS_FOLDER = join('readiness', 'checks');

/**
 * new-check: `readiness/checks/<id>.ts` (a check, its own fact and collector, as a plugin) and its table-driven
 * test, beside the config (else here). Never overwrites; the id must be namespaced outside the built-ins'.
 */
export async function runNewCheck(id: string, options: { config?: string | undefined } = {}): Promise<string> {
  if (!CHECK_ID.test(id)) throw new UsageError(`"${id}" is not a check id: lowercase, namespaced "<plugin>.<name>", e.g. acme.runbook-owner`);
  const namespace = id.split('.')[0]!;
  if (builtinNamespaces().has(namespace)) throw new UsageError(`"${id}" uses the built-in namespace "${namespace}"; name it "<your namespace>.<name>", e.g. acme.${id.slice(namespace.length + 1)}`);
  const configFile = options.config ?? findConfigFile(process.cwd());
  const base = configFile ? dirname(configFile) : process.cwd();
  const folder = join(base, CHECKS_FOLDER);
  const checkFile = join(folder, `${id}.ts`);
  const testFile = join(folder, `${id}.test.ts`);
  for (const file of [checkFile, testFile]) if (existsSync(file)) throw new UsageError(`${relative(process.cwd(), file) || file} already exists: not overwritten`);
  await makeFolders(folder);
  // `wx`: an existing file is refused, never replaced (and a second writer cannot race past the check).
  for (const [file, text] of [[checkFile, checkTemplate(id)], [testFile, testTemplate(id)]] as const) {
    try {
      await writeFile(file, text, { flag: 'wx' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'EEXIST' ? `${relative(process.cwd(), file) || file} already exists: not overwritten` : `cannot write ${file} (${code ?? errorMessage(error)})`);
    }
  }
  const shown = (file: string) => relative(process.cwd(), file) || file;
  const lines = [`Wrote ${shown(checkFile)} and ${shown(testFile)}.`];
  if (!configFile || !(await pluginsInclude(configFile, checkFile))) lines.push(`Add it to the config: plugins: [./${CHECKS_FOLDER.split('\\').join('/')}/*.ts]`);
  lines.push(`Fill in the TODOs, then: node --test ${shown(testFile)} · readiness explain ${id} · readiness check --only ${id}`);
  return `${lines.join('\n')}\n`;
}

/** Whether a path entry under `plugins:` already names the file. */
async function pluginsInclude(configFile: string, file: string): Promise<boolean> {
  const loaded = await loadConfig(configFile).catch(() => undefined);
  if (!loaded) return false;
  const base = dirname(configFile);
  for (const entry of loaded.config.plugins) {
    if (!entry.startsWith('.') && !entry.startsWith('/')) continue;
    const files = isDynamicPattern(entry) ? await glob(entry, { cwd: base, absolute: true }) : [join(base, entry)];
    if (files.includes(file)) return true;
  }
  return false;
}

function checkTemplate(id: string): string {
  const namespace = id.split('.')[0]!;
  return `import { defineCheck, defineCollector, defineFact, definePlugin, FactError, z, type Finding } from 'hipaa-readiness/plugin';

// The fact: what the check needs to know about the environment. Its schema is the contract between the
// collector, the snapshot that records it, and the check. Drop it if a built-in fact (facts.*) is enough.
export const items = defineFact({
  id: '${id}',
  description: 'TODO: what is collected',
  // The read-only API actions the collector calls, e.g. 's3:GetBucketTagging' (listed by readiness explain).
  permissions: [],
  schema: z.array(z.object({ name: z.string(), compliant: z.boolean() })),
});

// All I/O lives here. What cannot be read is a FactError (the check is then unverified, or not assessed
// for NotConfigured), never an empty answer: an empty list would read as "nothing wrong".
// The context has the config, baseDir (the config's folder), signal (aborted at the run's --timeout: pass it
// to every request) and fact(other) to build on another fact.
export const itemsCollector = defineCollector(items, async (context) => {
  throw new FactError('NotConfigured', \`TODO: collect ${id} (config of project \${context.config.project})\`);
});

export const check = defineCheck({
  meta: {
    id: '${id}',
    title: 'TODO: what holds when it passes',
    failureTitle: 'TODO: what is wrong when it fails',
    description: 'TODO: why it matters for PHI',
    section: 'compliance',
    severity: 'medium',
    layer: 'operational',
    hipaa: [],
    phase: 5,
    remediation: { text: 'TODO: how to fix it', effortMinutes: 60 },
    messages: {
      compliant: '{{resource}} is compliant',
      'not-compliant': '{{resource}} is not compliant',
    },
  },
  facts: { items },
  // Pure: facts in, one finding per resource out.
  evaluate({ items }) {
    return items.map((item): Finding => ({
      resource: item.name,
      status: item.compliant ? 'pass' : 'fail',
      code: item.compliant ? 'compliant' : 'not-compliant',
      evidence: { compliant: item.compliant },
    }));
  },
});

export default definePlugin({ name: '${namespace}', checks: [check], collectors: [itemsCollector] });
`;
}

function testTemplate(id: string): string {
  return `// Table-driven, like ESLint's RuleTester: facts in, [resource, status, code] out. Run with \`node --test readiness/checks/\`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCase, type CheckCase } from 'hipaa-readiness/plugin';
import { check } from './${id}.ts';

const cases: CheckCase[] = [
  { name: 'a compliant item passes', facts: { items: [{ name: 'a', compliant: true }] }, expected: [['a', 'pass', 'compliant']] },
  { name: 'a non-compliant item fails', facts: { items: [{ name: 'b', compliant: false }] }, expected: [['b', 'fail', 'not-compliant']] },
  { name: 'each item is judged on its own', facts: { items: [{ name: 'a', compliant: true }, { name: 'b', compliant: false }] }, expected: [['a', 'pass', 'compliant'], ['b', 'fail', 'not-compliant']] },
];

for (const testCase of cases) {
  test(testCase.name, () => assert.deepEqual(runCase(check, testCase), testCase.expected));
}
`;
}
