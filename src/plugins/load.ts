import { existsSync, readFileSync } from 'node:fs';
import module from 'node:module';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { glob, isDynamicPattern } from 'tinyglobby';
import type { LoadedConfig } from '../config/load.js';
import { ConfigError, errorMessage } from '../errors.js';
import { PluginError, type CheckSource } from '../engine/registry.js';
import type { AnyCheck } from '../model.js';

/** `readiness-plugin-<name>`, `@scope/readiness-plugin`, `@scope/readiness-plugin-<name>`. */
const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/readiness-plugin(-[a-z0-9._~-]+)?|readiness-plugin-[a-z0-9._~-]+)$/;
const NAMESPACE = /^[a-z][a-z0-9-]*$/;

/** The sources of checks named under `plugins:`: local modules (paths, globs) against the config's folder, packages from its node_modules. */
export async function loadPlugins(loaded: LoadedConfig): Promise<CheckSource[]> {
  const baseDir = dirname(loaded.file);
  shareToolApi();
  const sources: CheckSource[] = [];
  for (const [index, entry] of loaded.config.plugins.entries()) {
    if (isPath(entry)) {
      const files = await filesOf(entry, baseDir);
      if (files.length === 0) throw new ConfigError(`plugins: "${entry}" names no .ts or .js module (relative to ${baseDir})`, loaded.locate(['plugins', index]));
      for (const file of files) {
        const name = `plugin ${relativeName(file, baseDir)}`;
        sources.push(sourceOf(name, await importPlugin(name, pathToFileURL(file).href), false));
      }
    } else {
      if (!PACKAGE_NAME.test(entry)) {
        throw new ConfigError(`plugins: "${entry}" is neither a path (./…) nor a plugin package (readiness-plugin-<name>, @scope/readiness-plugin[-<name>])`, loaded.locate(['plugins', index]));
      }
      const name = `plugin ${entry}`;
      sources.push(sourceOf(name, await importPlugin(name, packageEntry(entry, baseDir)), true));
    }
  }
  return sources;
}

function isPath(entry: string): boolean {
  return entry.startsWith('./') || entry.startsWith('../') || isAbsolute(entry);
}

function relativeName(file: string, baseDir: string): string {
  const path = relative(baseDir, file).split('\\').join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

/** The files a path or glob names, in a stable order; one that names none is an error (a check must not vanish silently). */
async function filesOf(entry: string, baseDir: string): Promise<string[]> {
  const files = isDynamicPattern(entry) ? await glob(entry, { cwd: baseDir, absolute: true, onlyFiles: true }) : existsSync(resolve(baseDir, entry)) ? [resolve(baseDir, entry)] : [];
  // A glob over a folder of checks also matches their tests and type declarations: those are not plugins.
  return files.filter((file) => /\.(ts|mts|js|mjs)$/.test(file) && !/\.(test|spec)\.[mc]?[jt]s$/.test(file) && !/\.d\.[mc]?ts$/.test(file)).sort();
}

/**
 * A package's entry, found as Node finds it from a file in the config's folder (its node_modules, then each
 * parent's), not from the tool's own install: a team installs its plugins beside its config.
 */
function packageEntry(name: string, baseDir: string): string {
  for (let dir = baseDir; ; dir = dirname(dir)) {
    const root = join(dir, 'node_modules', name);
    if (existsSync(join(root, 'package.json'))) {
      let manifest: { exports?: unknown; main?: unknown };
      try {
        manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as typeof manifest;
      } catch (error) {
        throw new PluginError(`plugin ${name}: unreadable package.json (${errorMessage(error)})`);
      }
      const target = manifest.exports !== undefined ? exportTarget(rootExport(manifest.exports)) : typeof manifest.main === 'string' ? manifest.main : 'index.js';
      if (!target) throw new PluginError(`plugin ${name}: its package.json exports no entry for import`);
      return pathToFileURL(join(root, target)).href;
    }
    if (dirname(dir) === dir) throw new PluginError(`plugin ${name}: not installed (npm install --save-dev ${name}, beside ${baseDir})`);
  }
}

/** The `"."` entry of `exports` (a string, a list, a conditions object, or a map of subpaths). */
function rootExport(exports: unknown): unknown {
  if (exports && typeof exports === 'object' && !Array.isArray(exports) && Object.keys(exports).some((key) => key.startsWith('.'))) return (exports as Record<string, unknown>)['.'];
  return exports;
}

/** The target Node's `import` picks: the first condition in the object's order that applies. */
function exportTarget(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) return target.map(exportTarget).find((t) => t !== undefined);
  if (target && typeof target === 'object') {
    for (const [condition, value] of Object.entries(target)) {
      if (['import', 'node', 'module-sync', 'default'].includes(condition)) {
        const found = exportTarget(value);
        if (found) return found;
      }
    }
  }
  return undefined;
}

async function importPlugin(name: string, url: string): Promise<unknown> {
  try {
    return ((await import(url)) as { default?: unknown }).default;
  } catch (error) {
    throw new PluginError(`${name}: cannot load: ${loadFailure(error)}`);
  }
}

function loadFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ERR_UNKNOWN_FILE_EXTENSION') return `this Node.js (${process.version}) cannot load TypeScript; use Node 22.18 or newer, or compile the plugin to .js`;
  if (code === 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING') return 'a package must ship JavaScript (Node strips types only outside node_modules)';
  return errorMessage(error).split('\n')[0]!;
}

/** A module's default export: a plugin (`definePlugin`), or, from a local file, one check (`defineCheck`). */
function sourceOf(name: string, exported: unknown, fromPackage: boolean): CheckSource {
  const value = exported as { name?: unknown; checks?: unknown; collectors?: unknown; meta?: unknown; evaluate?: unknown } | null | undefined;
  if (value && typeof value === 'object' && Array.isArray(value.checks)) {
    if (typeof value.name !== 'string' || !NAMESPACE.test(value.name)) throw new PluginError(`${name}: its name (the namespace of its ids) must be lowercase letters, digits and dashes, e.g. "example"`);
    if (value.collectors !== undefined && !Array.isArray(value.collectors)) throw new PluginError(`${name}: collectors is not a list`);
    return { name, namespace: value.name, checks: value.checks as AnyCheck[], collectors: (value.collectors as CheckSource['collectors']) ?? [] };
  }
  if (!fromPackage && value && typeof value === 'object' && value.meta && typeof value.evaluate === 'function') return { name, checks: [value as AnyCheck] };
  const expected = fromPackage ? 'is not a plugin (export default definePlugin({ name, checks }))' : 'is neither a check (export default defineCheck(…)) nor a plugin (export default definePlugin(…))';
  throw new PluginError(`${name}: its default export ${expected}`);
}

let shared = false;

/**
 * `import … from 'hipaa-readiness/plugin'` in a plugin loads the running tool's own module, whether or not the
 * plugin's folder has the package installed: one engine, one zod, one FactError (ESLint's peer dependency, enforced).
 */
function shareToolApi(): void {
  if (shared || typeof module.registerHooks !== 'function') return;
  shared = true;
  // From src/ under tsx and tests (.ts), from dist/src/ installed (.js).
  const extension = extname(fileURLToPath(import.meta.url));
  const api: Record<string, string> = {
    'hipaa-readiness/plugin': new URL(`../plugin${extension}`, import.meta.url).href,
    'hipaa-readiness': new URL(`../index${extension}`, import.meta.url).href,
  };
  module.registerHooks({
    resolve: (specifier, context, nextResolve) => (Object.hasOwn(api, specifier) ? { url: api[specifier]!, shortCircuit: true } : nextResolve(specifier, context)),
  });
}
