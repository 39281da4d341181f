import type * as Zod from 'zod';

/**
 * zod, for the built-in schemas (facts, check options, the snapshot's envelope, a plugin's contract). Loading zod is
 * a quarter of the tool's start-up, and `check --demo` validates nothing (its config and snapshot are the build's), so
 * no module that run loads imports zod itself: they import `z` from here, and make their schemas on first use. The code
 * that validates (a config, a snapshot, collected facts, a plugin, `explain`, the build's scripts) first awaits
 * `loadZod()`; from then on `z` (an ESM live binding) is zod.
 *
 * One zod: src/zod-package.ts, the one `hipaa-readiness/plugin` re-exports, so a plugin's schemas and the tool's are
 * the same zod (a `require('zod')` would be its CommonJS copy, another identity).
 */
export let z: typeof Zod.z = notLoaded();
let loaded = false;

/** Until zod is loaded, `z` says so by name: a path that reads a built-in schema without `loadZod()` is a bug to see. */
function notLoaded(): typeof Zod.z {
  return new Proxy({} as typeof Zod.z, {
    get(_, key) {
      throw new Error(`zod used before loadZod() (z.${String(key)}): this path reads a built-in schema without loading zod first`);
    },
  });
}

/** Makes `z` the zod a module has already imported: the plugin API's, which plugins build with. */
export function provideZod(zod: typeof Zod.z): void {
  z = zod;
  loaded = true;
}

/** Loads zod (once) and returns it. */
export async function loadZod(): Promise<typeof Zod.z> {
  if (!loaded) provideZod((await import('./zod-package.js')).z);
  return z;
}
