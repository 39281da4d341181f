// Preloaded with `node --import tsx --import …/plugin-api.mjs`: `hipaa-readiness/plugin` resolves to this source tree's
// src/plugin.ts, as an installed tool resolves it to its own dist/ — for running a plugin's tests (`node --test`) here.
import module from 'node:module';

const api = new URL('../../src/plugin.ts', import.meta.url).href;
module.registerHooks({
  resolve: (specifier, context, nextResolve) => (specifier === 'hipaa-readiness/plugin' ? { url: api, shortCircuit: true } : nextResolve(specifier, context)),
});
