import type { Progress } from '../collectors/types.js';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressLine extends Progress {
  /** A fact answered (or failed): `done` of `total`. */
  factDone(): void;
  /** Clears the line; nothing more is written. */
  stop(): void;
}

export interface ProgressOptions {
  totalFacts: number;
  /** Nothing is shown before this (a quick run prints nothing). */
  delayMs?: number;
  intervalMs?: number;
  now?: () => number;
}

/**
 * What a long collection is doing, on stderr: `collecting 12/40 facts · s3 buckets 1,234 · 14 s`.
 * On a terminal, one line redrawn in place; on anything else (asked for with --progress), a line every interval.
 */
export function startProgress(stream: ProgressStream, options: ProgressOptions): ProgressLine {
  const { totalFacts, now = () => performance.now() } = options;
  const terminal = stream.isTTY === true;
  const delayMs = options.delayMs ?? 1_000;
  const intervalMs = options.intervalMs ?? (terminal ? 250 : 5_000);
  const started = now();
  const counts = new Map<string, number>();
  let facts = 0;
  let shown = false;

  const line = () => {
    const read = [...counts].map(([what, count]) => `${what} ${count.toLocaleString('en-US')}`);
    const seconds = Math.floor((now() - started) / 1000);
    return [`collecting ${facts}/${totalFacts} facts`, ...read, `${seconds} s`].join(' · ');
  };
  const draw = () => {
    if (now() - started < delayMs) return;
    shown = true;
    stream.write(terminal ? `\r\x1b[2K${line()}` : `readiness: ${line()}\n`);
  };
  const timer = setInterval(draw, terminal ? intervalMs : Math.max(intervalMs, delayMs));
  timer.unref();

  return {
    read(what, count = 1) {
      counts.set(what, (counts.get(what) ?? 0) + count);
    },
    factDone() {
      facts += 1;
    },
    stop() {
      clearInterval(timer);
      if (shown && terminal) stream.write('\r\x1b[2K');
    },
  };
}

/** Shown on a terminal (never in CI logs) unless asked for (`--progress`) or turned off (`--no-progress`). */
export function wantsProgress(asked: boolean | undefined, stream: ProgressStream, env: NodeJS.ProcessEnv, ci: boolean | undefined): boolean {
  if (asked !== undefined) return asked;
  return stream.isTTY === true && !ci && !env.CI;
}
