// The build's step after tsc (`npm run build`): dist/src/zod-package.js, which re-exports zod, becomes zod itself,
// bundled. zod's ES build is 96 modules (64 of them its locales, all loaded by its entry); Node resolves, reads and
// links each on its own, which took about 85 ms of every run that validates, against about 42 ms for the one module.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const door = fileURLToPath(new URL('../dist/src/zod-package.js', import.meta.url));
// zod's MIT license travels with its code.
const license = readFileSync(new URL('../node_modules/zod/LICENSE', import.meta.url), 'utf8');

await build({
  entryPoints: [door],
  outfile: door,
  allowOverwrite: true,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  legalComments: 'none',
  banner: { js: `/* zod, bundled from node_modules/zod.\n\n${license.replaceAll('*/', '* /')}*/` },
  logLevel: 'warning',
});
