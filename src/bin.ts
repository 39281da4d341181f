#!/usr/bin/env node
import { main } from './cli.js';

let internalError = false;
// A promise some collector left behind must not crash the run with a stack trace: one line, exit 2.
process.on('unhandledRejection', (reason) => {
  internalError = true;
  process.exitCode = 2;
  const message = reason instanceof Error ? reason.message : String(reason);
  process.stderr.write(`readiness: internal error: ${message.split('\n')[0]}\n`);
  if (process.argv.includes('--debug') && reason instanceof Error && reason.stack) process.stderr.write(`${reason.stack}\n`);
});

const code = await main(process.argv.slice(2));
if (!internalError) process.exitCode = code;
// Collectors cancel their requests at --timeout, so the process normally ends by itself. This is
// the last-resort net for a socket no signal reaches (a credential provider, a third-party
// client): the report is written and the verdict decided, so nothing may hold the process.
// READINESS_NO_FORCED_EXIT=1 turns the net off, to prove the collectors stop on their own.
if (!process.env.READINESS_NO_FORCED_EXIT) setTimeout(() => process.exit(internalError ? 2 : code), 500).unref();
