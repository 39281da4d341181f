import { describe, expect, it } from 'vitest';
import { reporters } from '../../src/reporters/index.js';
import { loadReporters, REPORTER_FORMATS } from '../../src/reporters/load.js';

// `check` loads only the reporters it writes (src/reporters/load.ts): the same ones reporters/index.ts holds.
describe('the reporters loaded per format', () => {
  it('are those of the reporters table, in its order', async () => {
    expect(REPORTER_FORMATS).toEqual(Object.keys(reporters));
    const loaded = await loadReporters(REPORTER_FORMATS);
    for (const [format, reporter] of Object.entries(reporters)) expect(loaded.get(format)).toEqual({ render: reporter.render, chunks: reporter.chunks, extension: reporter.extension });
  });
});
