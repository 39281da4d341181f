// Preloaded with `node --import`: records every module specifier resolved in this process that names @aws-sdk or @smithy,
// and writes them, one a line, to $READINESS_IMPORT_LOG when the process exits.
import { appendFileSync, writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const log = process.env.READINESS_IMPORT_LOG;
if (!log) throw new Error('READINESS_IMPORT_LOG is not set');
writeFileSync(log, '');
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (/@aws-sdk|@smithy/.test(specifier)) appendFileSync(log, `${specifier}\n`);
    return nextResolve(specifier, context);
  },
});
