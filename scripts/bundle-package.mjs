// What the build's bundles share (scripts/bundle-checks.mjs, bundle-commander.mjs, bundle-zod.mjs, bundle-yaml.mjs):
// a module bundled for the Node the tool needs, a package's licence at the top of its bundle.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BASE = { bundle: true, format: 'esm', platform: 'node', target: 'node22', legalComments: 'none', logLevel: 'warning' };

/** Bundles the built module `file` in place; `options`: esbuild's, added (plugins, a banner). */
export async function bundleInPlace(file, options = {}) {
  await build({ ...BASE, entryPoints: [file], outfile: file, allowOverwrite: true, ...options });
}

/** `dist/src/<door>.js`, a module that re-exports one package, becomes that package itself, its licence at its top. */
export async function bundlePackage(door, packageName, plugins = []) {
  await bundleInPlace(fileURLToPath(new URL(`../dist/src/${door}.js`, import.meta.url)), { banner: licenceBanner(packageName), plugins });
}

/** `src/<door>.cjs`, a CommonJS module that re-exports one package, bundled into `dist/src/<door>.cjs`, its licence at its top. */
export async function bundleCommonJsPackage(door, packageName) {
  const [entry, outfile] = ['src', 'dist/src'].map((folder) => fileURLToPath(new URL(`../${folder}/${door}.cjs`, import.meta.url)));
  await build({ ...BASE, format: 'cjs', entryPoints: [entry], outfile, banner: licenceBanner(packageName) });
}

function licenceBanner(packageName) {
  const license = readFileSync(new URL(`../node_modules/${packageName}/LICENSE`, import.meta.url), 'utf8');
  return { js: `/* ${packageName}, bundled from node_modules/${packageName}.\n\n${license.replaceAll('*/', '* /')}*/` };
}
