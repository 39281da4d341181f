import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/version.js';
import { runCli } from '../support/cli.js';

const run = promisify(execFile);
let dir: string | undefined;

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

// What a user's editor and `tsc` say of the example's local check and of a scaffolded one: they compile against the
// plugin API under strict settings. (That they hold only erasable syntax, Node itself proves when it runs them:
// test/e2e/plugin-example.test.ts, test/commands/new-check.test.ts.)
it('the example check, its test and a scaffolded check compile against hipaa-readiness/plugin', async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-plugin-types-'));
  await cp(join(PACKAGE_ROOT, 'examples', 'plugin', 'readiness'), join(dir, 'readiness'), { recursive: true });
  await writeFile(join(dir, 'readiness.config.yaml'), 'project: p\n');
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }');
  expect((await runCli(['new-check', 'acme.scaffolded', '--config', join(dir, 'readiness.config.yaml')])).code).toBe(0);
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'es2023',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        allowImportingTsExtensions: true,
        verbatimModuleSyntax: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(PACKAGE_ROOT, 'node_modules', '@types')],
        // As an installed package's `exports` would give it.
        paths: { 'hipaa-readiness/plugin': [join(PACKAGE_ROOT, 'src', 'plugin.ts')] },
      },
      include: ['readiness/**/*.ts'],
    }),
  );
  const compiled = await run(join(PACKAGE_ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: dir }).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
  expect(compiled.stdout).toBe('');
}, 180_000);
