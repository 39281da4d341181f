// Preloaded into a start-up measurement (`node --import`): the CPU time the process used and, with
// READINESS_STARTUP_MODULES=1, how many modules it loaded, written as JSON to $READINESS_STARTUP_LOG when it exits.
// Counting needs a load hook, which costs the process time for every module it loads (about 10 ms of `check --demo`'s
// 130): a run that counts is not a run that is timed.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const loaded = process.env.READINESS_STARTUP_MODULES === '1' ? new Set() : undefined;
if (loaded) {
  registerHooks({
    load(url, context, nextLoad) {
      loaded.add(url);
      return nextLoad(url, context);
    },
  });
}
process.on('exit', () => {
  const { userCPUTime, systemCPUTime } = process.resourceUsage();
  writeFileSync(process.env.READINESS_STARTUP_LOG, JSON.stringify({ modules: loaded?.size ?? null, cpuMs: (userCPUTime + systemCPUTime) / 1000 }));
});
