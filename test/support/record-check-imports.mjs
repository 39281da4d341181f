// Preloaded with `node --import`: records every module of checks/ resolved in this process (its path from checks/),
// and writes them, one a line, to $READINESS_IMPORT_LOG when the process exits.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const log = process.env.READINESS_IMPORT_LOG;
if (!log) throw new Error('READINESS_IMPORT_LOG is not set');
const seen = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    const match = /\/(checks\/[^?]+)$/.exec(resolved.url);
    if (match && !resolved.url.includes('/node_modules/')) seen.add(match[1]);
    return resolved;
  },
});
process.on('exit', () => writeFileSync(log, [...seen].map((path) => `${path}\n`).join('')));
