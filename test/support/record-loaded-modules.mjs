// Preloaded with `node --import`: records the URL of every module this process loads, and writes them, one a line,
// to $READINESS_MODULE_LOG when the process exits; with $READINESS_INTERNAL_MODULE_LOG, also the internal modules
// Node itself loaded (process.moduleLoadList), where what importing a built-in costs shows.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const log = process.env.READINESS_MODULE_LOG;
if (!log) throw new Error('READINESS_MODULE_LOG is not set');
const loaded = new Set();
registerHooks({
  load(url, context, nextLoad) {
    loaded.add(url);
    return nextLoad(url, context);
  },
});
process.on('exit', () => {
  writeFileSync(log, [...loaded].map((url) => `${url}\n`).join(''));
  const internals = process.env.READINESS_INTERNAL_MODULE_LOG;
  if (internals) writeFileSync(internals, process.moduleLoadList.map((name) => `${name}\n`).join(''));
});
