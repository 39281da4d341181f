import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startProgress, wantsProgress } from '../../src/engine/progress.js';

let clock = 0;
const now = () => clock;
function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}
const tick = (ms: number) => {
  for (let i = 0; i < ms; i += 50) {
    clock += 50;
    vi.advanceTimersByTime(50);
  }
};

beforeEach(() => {
  vi.useFakeTimers();
  clock = 0;
});
afterEach(() => vi.useRealTimers());

describe('progress on stderr', () => {
  it('a run shorter than a second prints nothing', () => {
    const out = stream(true);
    const progress = startProgress(out, { totalFacts: 3, now });
    progress.read('s3 buckets', 10);
    tick(900);
    progress.stop();
    expect(out.written).toEqual([]);
  });

  it('on a terminal: one line redrawn in place with the service, resources read and elapsed time, cleared at the end', () => {
    const out = stream(true);
    const progress = startProgress(out, { totalFacts: 40, now });
    progress.read('s3 buckets', 1234);
    progress.factDone();
    tick(1_250);
    progress.read('s3 bucket settings', 2);
    tick(14_000);
    progress.stop();
    expect(out.written[0]).toBe('\r\x1b[2Kcollecting 1/40 facts · s3 buckets 1,234 · 1 s');
    expect(out.written.at(-2)).toBe('\r\x1b[2Kcollecting 1/40 facts · s3 buckets 1,234 · s3 bucket settings 2 · 15 s');
    expect(out.written.at(-1)).toBe('\r\x1b[2K');
  });

  it('when asked for off a terminal: whole lines, a few seconds apart, no control characters', () => {
    const out = stream(false);
    const progress = startProgress(out, { totalFacts: 2, now });
    tick(12_000);
    progress.stop();
    expect(out.written).toEqual(['readiness: collecting 0/2 facts · 5 s\n', 'readiness: collecting 0/2 facts · 10 s\n']);
  });

  it('is on for a terminal, off in CI and off a terminal, unless asked for or turned off', () => {
    expect(wantsProgress(undefined, { isTTY: true, write: () => 0 }, {}, false)).toBe(true);
    expect(wantsProgress(undefined, { isTTY: true, write: () => 0 }, { CI: 'true' }, false)).toBe(false);
    expect(wantsProgress(undefined, { isTTY: true, write: () => 0 }, {}, true)).toBe(false);
    expect(wantsProgress(undefined, { isTTY: false, write: () => 0 }, {}, false)).toBe(false);
    expect(wantsProgress(true, { isTTY: false, write: () => 0 }, { CI: 'true' }, true)).toBe(true);
    expect(wantsProgress(false, { isTTY: true, write: () => 0 }, {}, false)).toBe(false);
  });
});
