#!/usr/bin/env node
import module from 'node:module';
// --timeout counts from the process's start: loading the code and reading the inputs are part of the run. (Not
// `performance.timeOrigin`: the global `performance` loads perf_hooks, which no other part of a run needs.)
const startedAt = Date.now() - process.uptime() * 1000;
// Checked before anything else loads: on an older Node the tool would fail later, less clearly.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`readiness: needs Node.js 22.12 or newer (this is ${process.version})\n`);
  process.exit(2);
}
// The compiled code of the tool's modules is kept on disk (Node's compile cache, in the temp folder; off with
// NODE_DISABLE_COMPILE_CACHE=1): every run after the first skips compiling them, a sixth or so of its start-up.
module.enableCompileCache();
// A reader that stops early (`readiness check | head -1`) has what it wanted: end quietly, exit 0, not a stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
}
const { main } = await import('./cli.js');
const { requestedTimeout } = await import('./deadline.js');
const { redact, secretValues } = await import('./engine/redact.js');

let internalError = false;
// A promise some collector left behind must not crash the run with a stack trace: one line, exit 2.
process.on('unhandledRejection', (reason) => {
  internalError = true;
  process.exitCode = 2;
  const message = reason instanceof Error ? reason.message : String(reason);
  const secrets = secretValues({}, process.env);
  process.stderr.write(`readiness: internal error: ${redact(message.split('\n')[0]!, secrets)}\n`);
  if (process.argv.includes('--debug') && reason instanceof Error && reason.stack) process.stderr.write(`${redact(reason.stack, secrets)}\n`);
});

// The run stops collecting at --timeout and writes its reports; whatever still holds the process
// REPORT_GRACE_S later (a hung read, a socket no signal reaches, a file write that never returns) is
// cut off here (unless READINESS_NO_FORCED_EXIT=1, below). A loaded CI runner can take more than a
// second to write the reports, which must not be lost to this net.
const REPORT_GRACE_S = 5;
const timeout = requestedTimeout(process.argv.slice(2));
if (timeout !== undefined && !process.env.READINESS_NO_FORCED_EXIT) {
  setTimeout(() => {
    process.stderr.write(`readiness: stopped: the run did not end within ${REPORT_GRACE_S} s of --timeout (${timeout} s)\n`);
    process.exit(2);
  }, Math.max(0, startedAt + (timeout + REPORT_GRACE_S) * 1000 - Date.now())).unref();
}

const code = await main(process.argv.slice(2), { startedAt });
if (!internalError) process.exitCode = code;
// Collectors cancel their requests at --timeout, so the process normally ends by itself. This is
// the last-resort net for a socket no signal reaches (a credential provider, a third-party
// client): the report is written and the verdict decided, so nothing may hold the process.
// READINESS_NO_FORCED_EXIT=1 turns the net off, to prove the collectors stop on their own.
if (!process.env.READINESS_NO_FORCED_EXIT) setTimeout(() => process.exit(internalError ? 2 : code), 500).unref();
