import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/version.js';
import { isOneLineError, runCli, spawnCli } from '../support/cli.js';

const EXAMPLE = join(PACKAGE_ROOT, 'examples', 'plugin');
let work: string;
let counter = 0;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'readiness-plugins-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const META = `title: 'T', failureTitle: 'F', description: 'D', layer: 'operational', hipaa: [], phase: 5, remediation: { text: 'fix', effortMinutes: 5 }, messages: { ok: 'ok' }`;
const check = (id: string, extra = `section: 'compliance', severity: 'low'`, evaluate = `() => [{ resource: 'r', status: 'pass', code: 'ok' }]`) =>
  `defineCheck({ meta: { id: '${id}', ${extra}, ${META} }, facts: {}, evaluate: ${evaluate} })`;

/** A project of its own (a fresh folder, so no module is cached from another test) with these plugin files and config lines. */
async function project(files: Record<string, string>, plugins: string[], more = ''): Promise<string> {
  const dir = join(work, `p${++counter}`);
  await mkdir(join(dir, 'readiness', 'checks'), { recursive: true });
  for (const [name, body] of Object.entries(files)) await writeFile(join(dir, name), `import { defineCheck, definePlugin, defineCollector, defineFact, z } from 'hipaa-readiness/plugin';\n${body}\n`);
  const config = join(dir, 'readiness.config.yaml');
  await writeFile(config, `project: p\nplugins:\n${plugins.map((p) => `  - ${JSON.stringify(p)}\n`).join('')}${more}`);
  return config;
}

describe('plugins that cannot join the run: exit 2, one line naming the plugin and the cause', () => {
  it.each([
    ['throws while loading', { 'readiness/checks/a.ts': `throw new Error('no database url\\n    at load (a.ts:1:1)');` }, /^readiness: plugin \.\/readiness\/checks\/a\.ts: cannot load: no database url\n$/],
    ['exports garbage', { 'readiness/checks/a.ts': `export default { hello: 'world' };` }, /plugin \.\/readiness\/checks\/a\.ts: its default export is neither a check .* nor a plugin/],
    ['exports nothing', { 'readiness/checks/a.ts': `export const x = 1;` }, /plugin \.\/readiness\/checks\/a\.ts: its default export is neither/],
    ['duplicates an id', { 'readiness/checks/a.ts': `export default ${check('acme.one')};`, 'readiness/checks/b.ts': `export default ${check('acme.one')};` }, /plugin \.\/readiness\/checks\/b\.ts: check "acme\.one" is already defined by plugin \.\/readiness\/checks\/a\.ts/],
    ['takes a built-in id', { 'readiness/checks/a.ts': `export default ${check('compliance.runbook')};` }, /plugin \.\/readiness\/checks\/a\.ts: check "compliance\.runbook" is already a built-in check/],
    ['uses a built-in namespace', { 'readiness/checks/a.ts': `export default ${check('aws.s3.tagged')};` }, /uses the built-in namespace "aws"/],
    ['names an unknown section', { 'readiness/checks/a.ts': `export default ${check('acme.one', `section: 'ops', severity: 'low'`)};` }, /check "acme\.one": meta\.section: unknown section "ops" \(sections: aws, supabase/],
    ['names a bad severity', { 'readiness/checks/a.ts': `export default ${check('acme.one', `section: 'compliance', severity: 'urgent'`)};` }, /check "acme\.one": meta\.severity: bad severity "urgent" \(severities: critical, high, medium, low\)/],
    [
      'overrides a built-in fact',
      { 'readiness/checks/a.ts': `const f = defineFact({ id: 'evidence.documents', description: 'd', permissions: [], schema: z.any() });\nexport default definePlugin({ name: 'acme', checks: [], collectors: [defineCollector(f, async () => [])] });` },
      /collector for "evidence\.documents" would override the built-in fact/,
    ],
    ['is a TypeScript syntax error', { 'readiness/checks/a.ts': `export default {{;` }, /^readiness: plugin \.\/readiness\/checks\/a\.ts: cannot load: /],
  ])('a plugin that %s', async (_, files, message) => {
    const config = await project(files, ['./readiness/checks/*.ts']);
    for (const command of [['list', '--config', config], ['check', '--config', config, '--format', 'json']]) {
      const { code, stdout, stderr } = await runCli(command);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(isOneLineError(stderr)).toBe(true);
      expect(stderr).toMatch(message);
    }
  });

  it.each([
    ['lodash', /plugins: "lodash" is neither a path/],
    ['./readiness/nothing/*.ts', /plugins: "\.\/readiness\/nothing\/\*\.ts" names no \.ts or \.js module/],
    ['readiness-plugin-missing', /^readiness: plugin readiness-plugin-missing: not installed \(npm install --save-dev readiness-plugin-missing/],
  ])('an entry %s', async (entry, message) => {
    const config = await project({}, [entry]);
    const { code, stderr } = await runCli(['check', '--config', config, '--format', 'json']);
    expect(code).toBe(2);
    expect(isOneLineError(stderr)).toBe(true);
    expect(stderr).toMatch(message);
  });
});

describe('a plugin check in the run', () => {
  it('that throws while evaluating is unverified for that check alone, naming the plugin; the run goes on', async () => {
    const config = await project(
      {
        'readiness/checks/a.ts': `export default ${check('acme.throws', `section: 'compliance', severity: 'low'`, `() => { throw new TypeError('items is undefined'); }`)};`,
        'readiness/checks/b.ts': `export default ${check('acme.fine')};`,
      },
      ['./readiness/checks/*.ts'],
    );
    const { code, stdout, stderr } = await runCli(['check', '--config', config, '--format', 'json', '--only', 'acme']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { results: { checkId: string; status: string; code: string; message: string }[] };
    expect(report.results).toEqual([
      expect.objectContaining({ checkId: 'acme.throws', status: 'unverified', code: 'plugin-error', message: 'The check from plugin ./readiness/checks/a.ts failed to evaluate: threw while evaluating: items is undefined' }),
      expect.objectContaining({ checkId: 'acme.fine', status: 'pass' }),
    ]);
  });

  it('whose collector throws is unverified, never pass (the check would pass anything it is given)', async () => {
    const config = await project(
      {
        'readiness/checks/a.ts': `const f = defineFact({ id: 'acme.items', description: 'd', permissions: [], schema: z.array(z.string()) });
const throwing = defineCollector(f, async () => { throw new Error('socket hang up'); });
export default definePlugin({ name: 'acme', checks: [${check('acme.items', `section: 'compliance', severity: 'high'`, `() => [{ resource: 'r', status: 'pass', code: 'ok' }]`).replace('facts: {}', 'facts: { f }')}], collectors: [throwing] });`,
        'readiness/checks/b.ts': `const g = defineFact({ id: 'acme.shape', description: 'd', permissions: [], schema: z.array(z.string()) });
const garbage = defineCollector(g, async () => ({ not: 'a list' }) as never);
export default definePlugin({ name: 'acme', checks: [${check('acme.shape', `section: 'compliance', severity: 'high'`, `() => [{ resource: 'r', status: 'pass', code: 'ok' }]`).replace('facts: {}', 'facts: { g }')}], collectors: [garbage] });`,
      },
      ['./readiness/checks/*.ts'],
    );
    const { code, stdout } = await runCli(['check', '--config', config, '--format', 'json', '--only', 'acme']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { results: { checkId: string; status: string; code: string; message: string }[] };
    expect(report.results.map((r) => [r.checkId, r.status, r.code])).toEqual([
      ['acme.items', 'unverified', 'fact-unavailable'],
      ['acme.shape', 'unverified', 'fact-unavailable'],
    ]);
    expect(report.results[0]!.message).toMatch(/acme\.items — socket hang up/);
    expect(report.results[1]!.message).toMatch(/unexpected answer for acme\.shape/);
  });

  it('whose collector never answers (and ignores the signal) is bounded by --timeout: unverified, and the run ends', async () => {
    const config = await project(
      {
        'readiness/checks/a.ts': `const f = defineFact({ id: 'acme.slow', description: 'd', permissions: [], schema: z.array(z.string()) });
const hanging = defineCollector(f, () => new Promise(() => {}));
export default definePlugin({ name: 'acme', checks: [${check('acme.slow', `section: 'compliance', severity: 'high'`, `() => [{ resource: 'r', status: 'pass', code: 'ok' }]`).replace('facts: {}', 'facts: { f }')}], collectors: [hanging] });`,
      },
      ['./readiness/checks/*.ts'],
    );
    const { code, stdout } = await runCli(['check', '--config', config, '--format', 'json', '--only', 'acme', '--timeout', '2']);
    expect(code).toBe(3);
    const report = JSON.parse(stdout) as { results: { checkId: string; status: string; code: string; evidence: { failure?: string } }[] };
    expect(report.results).toEqual([expect.objectContaining({ checkId: 'acme.slow', status: 'unverified', code: 'fact-unavailable', evidence: expect.objectContaining({ failure: 'Timeout' }) })]);
  });

  it("validates a plugin check's own options under checks:, at file:line:col", async () => {
    const config = await project({}, ['./readiness/checks/*.ts'], 'checks:\n  acme.health-latency: { maxMs: fast }\n');
    await cp(join(EXAMPLE, 'readiness', 'checks', 'acme.health-latency.ts'), join(config, '..', 'readiness', 'checks', 'acme.health-latency.ts'));
    const { code, stderr } = await runCli(['check', '--config', config, '--format', 'json']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/readiness\.config\.yaml:\d+:\d+: checks\.acme\.health-latency\.maxMs: /);
  });
});

describe('under real Node (no vite): the resolve hook and type stripping', () => {
  it('loads a TypeScript check and a package by name from the config folder, sharing the tool API', async () => {
    const dir = join(work, 'real');
    await cp(EXAMPLE, dir, { recursive: true });
    await cp(join(EXAMPLE, 'readiness-plugin-example'), join(dir, 'node_modules', 'readiness-plugin-example'), { recursive: true });
    const { code, stdout, stderr } = await spawnCli(['list', '--json'], { cwd: dir });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as { id: string; source?: string }[];
    expect(listed.filter((c) => c.source)).toEqual([
      expect.objectContaining({ id: 'example.runbook-owner', source: 'plugin readiness-plugin-example' }),
      expect.objectContaining({ id: 'acme.health-latency', source: 'plugin ./readiness/checks/acme.health-latency.ts' }),
    ]);
  });

  it('a plugin that throws while loading: exit 2, one line, no stack', async () => {
    const config = await project({ 'readiness/checks/a.ts': `throw new Error('boom');` }, ['./readiness/checks/*.ts']);
    const { code, stderr } = await spawnCli(['check', '--config', config]);
    expect(code).toBe(2);
    expect(isOneLineError(stderr)).toBe(true);
    expect(stderr).toBe('readiness: plugin ./readiness/checks/a.ts: cannot load: boom\n');
  });
});
