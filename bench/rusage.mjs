// Preloaded into a benchmarked CLI run: its own peak RSS and CPU time, written where the bench asks.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
  writeFileSync(process.env.READINESS_BENCH_RUSAGE, JSON.stringify({ maxRSS, user: userCPUTime, system: systemCPUTime }));
});
