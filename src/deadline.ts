import { seconds } from './cli-parsers.js';

/** Default --timeout of the commands that reach the network; the other commands only read local files, bounded. */
export const DEFAULT_TIMEOUT_SECONDS: Readonly<Record<string, number>> = { check: 120, collect: 120, init: 60 };

/** What is left of a --timeout counted from the process start: loading, reading the config and collecting all share it. */
export function remainingMs(timeoutSeconds: number, startedAt: number | undefined): number {
  const spent = startedAt === undefined ? 0 : Date.now() - startedAt;
  // Whole milliseconds: AbortSignal.timeout refuses a fraction (and performance.timeOrigin has them).
  return Math.max(1, Math.floor(timeoutSeconds * 1000 - spent));
}

/**
 * The --timeout an argument vector asks for, read before the CLI is loaded, so that a last-resort
 * timer can end the process whatever holds it. Undefined when the command has none or the value is
 * invalid (the parser then refuses it).
 */
export function requestedTimeout(argv: readonly string[]): number | undefined {
  const command = argv.find((arg) => !arg.startsWith('-'));
  const fallback = command === undefined ? undefined : DEFAULT_TIMEOUT_SECONDS[command];
  if (fallback === undefined) return undefined;
  let value: string | undefined;
  argv.forEach((arg, i) => {
    if (arg === '--timeout') value = argv[i + 1];
    else if (arg.startsWith('--timeout=')) value = arg.slice('--timeout='.length);
  });
  if (value === undefined) return fallback;
  try {
    return seconds(value);
  } catch {
    return undefined;
  }
}
