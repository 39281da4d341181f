// What the build's bundles share (scripts/bundle-checks.mjs, bundle-commander.mjs, bundle-zod.mjs): a built module
// bundled in place, as an ES module for the Node the tool needs.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Bundles the built module `file` in place; `options`: esbuild's, added (plugins, a banner). */
export async function bundleInPlace(file, options = {}) {
  await build({ entryPoints: [file], outfile: file, allowOverwrite: true, bundle: true, format: 'esm', platform: 'node', target: 'node22', legalComments: 'none', logLevel: 'warning', ...options });
}

/** `dist/src/<door>.js`, a module that re-exports one package, becomes that package itself, its licence at its top. */
export async function bundlePackage(door, packageName, plugins = []) {
  const license = readFileSync(new URL(`../node_modules/${packageName}/LICENSE`, import.meta.url), 'utf8');
  await bundleInPlace(fileURLToPath(new URL(`../dist/src/${door}.js`, import.meta.url)), {
    banner: { js: `/* ${packageName}, bundled from node_modules/${packageName}.\n\n${license.replaceAll('*/', '* /')}*/` },
    plugins,
  });
}
