import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import trackingCheck from '../../checks/monitoring/monitoring.error-tracking.js';
import { errorTrackingCollector } from '../../src/collectors/files/error-tracking.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { checkOptions } from '../../src/engine/options.js';
import type { AnyCheck } from '../../src/model.js';
import { renderedMessages } from '../support/check-tester.js';
import { collect, collectContext } from '../probes/support/context.js';

const NOW = new Date('2025-10-11T22:30:00Z');
const KEY = '5f2b9c1e8a7d4e6fb3c0a9d8e7f6a5b4';
let root: string;

const write = (path: string, text: string) => {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
};
const context = (config: Partial<ConfigInput>) => collectContext(config, { baseDir: root, now: NOW });
const check: AnyCheck = trackingCheck;
const evaluate = (facts: Record<string, unknown>, config: Partial<ConfigInput>) =>
  check.evaluate(facts as never, { config: context(config).config, now: NOW, options: checkOptions(check, context(config).config) }).map((f) => [f.resource, f.status, f.code]);
const fromConfig = async (dsn: string) => {
  const config = { evidence: { errorTrackingDsn: dsn } };
  const fact = await collect(errorTrackingCollector, context(config));
  return { fact, result: evaluate({ tracking: fact }, config) };
};
let dirs = 0;
/** A build dir holding `files`, scanned by the real collector and judged by the check. */
const bundle = async (files: Record<string, string>) => {
  const dir = `build-${++dirs}`;
  for (const [path, text] of Object.entries(files)) write(`${dir}/${path}`, text);
  const config = { domain: { name: 'example.test', frontendBuildDir: dir } };
  const fact = await collect(errorTrackingCollector, context(config));
  return { fact, result: evaluate({ tracking: fact }, config) };
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'readiness-error-tracking-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('evidence.errorTrackingDsn must be a real DSN', () => {
  it.each([
    ['our own remediation placeholder', 'https://<key>@o<org>.ingest.sentry.io/<project>'],
    ['Sentry docs example', 'https://examplePublicKey@o0.ingest.sentry.io/0'],
    ['a key of zeros', 'https://00000000000000000000000000000000@o4504.ingest.sentry.io/4505'],
    ['a placeholder project', `https://${KEY}@o4504.ingest.sentry.io/<project>`],
    ['organisation 0', `https://${KEY}@o0.ingest.sentry.io/4505`],
    ['project 0', `https://${KEY}@o4504.ingest.sentry.io/0`],
    ['no key', 'https://o4504.ingest.sentry.io/4505'],
    ['a short key', 'https://xxx@sentry.io/123'],
    ['an example host', `https://${KEY}@sentry.example.com/4505`],
    ['plain http', `http://${KEY}@o4504.ingest.sentry.io/4505`],
    ['a bare host', 'https://example.com'],
    ['an intake host without a project', 'https://browser-intake-datadoghq.com'],
    ['a word that parses as a URL', 'TODO: set me'],
    ['changeme', 'changeme'],
    ['an empty-ish env expansion', '""'],
    ['blank', '   '],
  ])('%s fails invalid-dsn, naming no key', async (_, dsn) => {
    const { fact, result } = await fromConfig(dsn);
    expect(result).toEqual([['frontend', 'fail', 'invalid-dsn']]);
    expect(fact.dsnProblem).toEqual(expect.any(String));
    const messages = renderedMessages(trackingCheck, { tracking: fact });
    expect(messages[0]).toContain('evidence.errorTrackingDsn');
    expect(JSON.stringify({ fact, messages })).not.toContain(KEY);
  });

  it('a real Sentry DSN (SaaS, regional, self-hosted under a path) passes, its key redacted', async () => {
    for (const dsn of [`https://${KEY}@o4504.ingest.us.sentry.io/4505`, `https://${KEY}@o1.ingest.sentry.io/2`, `https://${KEY}@errors.acme-health.com/sentry/17`]) {
      const { fact, result } = await fromConfig(` ${dsn} `);
      expect(result, dsn).toEqual([['frontend', 'pass', 'configured']]);
      expect(fact).toMatchObject({ found: true, source: 'config', provider: 'sentry', dsnProblem: null });
      expect(JSON.stringify(fact)).not.toContain(KEY);
    }
  });
});

describe('the bundle scan counts a real DSN in shipped code only', () => {
  const real = `https://${KEY}@o4504.ingest.us.sentry.io/4505`;

  it.each<[string, Record<string, string>]>([
    ['in a source map only', { 'assets/app.js': 'console.log(1)', 'assets/app.js.map': `{"version":3,"sourcesContent":["Sentry.init({dsn:\\"${real}\\"})"]}` }],
    ['in a test file only', { 'assets/app.js': 'console.log(1)', 'assets/app.test.js': `Sentry.init({dsn:"${real}"})` }],
    ['in a __tests__ folder only', { 'assets/app.js': 'console.log(1)', '__tests__/sentry.js': `Sentry.init({dsn:"${real}"})` }],
    ['in a fixtures folder only', { 'assets/app.js': 'console.log(1)', 'fixtures/dsn.js': `export default "${real}"` }],
    ['in node_modules only', { 'assets/app.js': 'console.log(1)', 'node_modules/@sentry/core/index.js': `const d="${real}"` }],
    ['in a line comment', { 'assets/app.js': `// Sentry.init({ dsn: "${real}" })\nconsole.log(1)` }],
    ['in a block comment', { 'assets/app.js': `/* TODO: Sentry.init({dsn:'${real}'}) */console.log("done")` }],
    ['in a legal comment of a minified bundle', { 'assets/app.js': `/*! sentry ${real} */var a=1;` }],
    ['in an HTML comment', { 'index.html': `<html><!-- <script>Sentry.init({dsn:"${real}"})</script> --><body></body></html>` }],
    ['in HTML text outside a script', { 'index.html': `<pre>Sentry.init({dsn:"${real}"})</pre>` }],
    ['as a placeholder (zeros)', { 'assets/app.js': 'Sentry.init({dsn:"https://00000000000000000000000000000000@o0.ingest.sentry.io/0"})' }],
    ['as a placeholder (project 0)', { 'assets/app.js': `Sentry.init({dsn:"https://${KEY}@o4504.ingest.sentry.io/0"})` }],
    ['a Datadog intake host in a comment', { 'assets/app.js': '// RUM goes to https://browser-intake-datadoghq.com\nconsole.log(1)' }],
  ])('a DSN %s does not count', async (_, files) => {
    const { fact, result } = await bundle(files);
    expect(result).toEqual([['frontend', 'fail', 'not-in-bundle']]);
    expect(JSON.stringify(fact)).not.toContain(KEY);
  });

  it.each<[string, Record<string, string>, string]>([
    ['after regex literals, comments and strings holding quotes and slashes', { 'assets/app.js': `var r=/["'\\/]/g,s=a/b/c,u="a//b/*",t=\`x\${"//"}'\`;/* it's */var q=x?/'/:1;// don't\nSentry.init({dsn:"${real}"});` }, 'assets/app.js'],
    ['inside a JSON.parse string', { 'assets/app.js': `const c=JSON.parse('{"sentry":{"dsn":"${real}"}}');` }, 'assets/app.js'],
    ['in a template literal', { 'assets/app.js': `init({dsn:\`${real}\`,env:\`\${e}\`})` }, 'assets/app.js'],
    ['in an inline script', { 'index.html': `<!-- <script>"x"</script> --><script type="module">window.SENTRY_DSN="${real}"</script>` }, 'index.html'],
  ])('a real DSN %s counts', async (_, files, file) => {
    const { fact, result } = await bundle(files);
    expect(result).toEqual([['frontend', 'pass', 'configured']]);
    expect(fact).toMatchObject({ found: true, source: 'bundle', provider: 'sentry', file, redactedDsn: 'https://***@o4504.ingest.us.sentry.io/4505', dsnProblem: null });
    expect(JSON.stringify(fact)).not.toContain(KEY);
  });

  it('a placeholder first does not hide a real DSN later in the same file', async () => {
    const { fact, result } = await bundle({ 'assets/app.js': `var p="https://00000000000000000000000000000000@o0.ingest.sentry.io/0";Sentry.init({dsn:"${real}"})` });
    expect(result).toEqual([['frontend', 'pass', 'configured']]);
    expect(fact.redactedDsn).toBe('https://***@o4504.ingest.us.sentry.io/4505');
  });

  it('an intake host in code still counts', async () => {
    const { fact, result } = await bundle({ 'assets/app.js': '/* rum */fetch("https://browser-intake-datadoghq.com/api/v2/rum")' });
    expect(result).toEqual([['frontend', 'pass', 'configured']]);
    expect(fact).toMatchObject({ provider: 'datadog-rum', dsnProblem: null });
  });
});
