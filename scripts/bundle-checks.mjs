// The build's step after tsc (`npm run build`): the catalog's compiled modules (dist/checks/**, about 100 files)
// joined into dist/checks/index.js, so a run loads one module for them instead of a hundred. Node resolves, reads and
// links each module on its own, which cost `check --demo` about 60 ms of its start-up. What lies outside dist/checks
// (the tool's src, node's modules, packages) is imported as before, so each of them is still loaded once and shared.
// The checks' own files stay beside the bundle: `explain` loads one of them alone.
import { bundleInPlace } from './bundle-package.mjs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const checksFolder = fileURLToPath(new URL('../dist/checks/', import.meta.url));
const entry = resolve(checksFolder, 'index.js');

/** Imports of what lies outside dist/checks stay imports, rewritten relative to the bundle's own place. */
const outsideTheCatalog = {
  name: 'outside-the-catalog',
  setup(bundle) {
    bundle.onResolve({ filter: /.*/ }, ({ path, resolveDir, kind }) => {
      if (kind === 'entry-point') return undefined;
      if (!path.startsWith('.')) return { path, external: true };
      const target = resolve(resolveDir, path);
      if (target.startsWith(checksFolder)) return undefined;
      const fromBundle = relative(dirname(entry), target).split(sep).join('/');
      return { path: fromBundle.startsWith('.') ? fromBundle : `./${fromBundle}`, external: true };
    });
  },
};

await bundleInPlace(entry, { plugins: [outsideTheCatalog] });
