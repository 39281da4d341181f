// Preloaded into a start-up measurement (`node --import`): how many modules the process loaded and the CPU time it
// used, written as JSON to $READINESS_STARTUP_LOG when it exits.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const loaded = new Set();
registerHooks({
  load(url, context, nextLoad) {
    loaded.add(url);
    return nextLoad(url, context);
  },
});
process.on('exit', () => {
  const { userCPUTime, systemCPUTime } = process.resourceUsage();
  writeFileSync(process.env.READINESS_STARTUP_LOG, JSON.stringify({ modules: loaded.size, cpuMs: (userCPUTime + systemCPUTime) / 1000 }));
});
