// The build's step after tsc (`npm run build`): dist/src/commander.js, which re-exports commander, becomes commander
// itself, bundled, with three of the built-ins it imports made light. Importing a built-in as an ES module reads every
// one of its exports: for node:process that starts stdin and the process report, for node:util its lazily loaded
// parts, and node:child_process brings sockets and streams; about 60 internal modules, 25 ms of `explain`'s start-up.
// Commander uses the process object, one function of node:util, and spawns only for executable subcommands (the tool
// has none). An import of any other name of these three fails the build here, so nothing is left out unnoticed.
import { bundlePackage } from './bundle-package.mjs';

const LIGHT = {
  // What `import process from 'node:process'` gives: the process object, none of its properties read.
  'node:process': 'export default globalThis.process;',
  // `require` hands over node:util without reading its lazy exports.
  'node:util': "import { createRequire } from 'node:module';\nexport const { stripVTControlCharacters } = createRequire(import.meta.url)('node:util');",
  // Loaded on first use, which the tool never makes.
  'node:child_process':
    "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nexport default new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
};

const lightBuiltins = {
  name: 'light-builtins',
  setup(bundle) {
    bundle.onResolve({ filter: /^node:(process|util|child_process)$/ }, ({ path }) => ({ path, namespace: 'light-builtins' }));
    bundle.onLoad({ filter: /.*/, namespace: 'light-builtins' }, ({ path }) => ({ contents: LIGHT[path], loader: 'js', resolveDir: process.cwd() }));
  },
};

await bundlePackage('commander', 'commander', [lightBuiltins]);
