import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/engine/run.js';
import type { Report } from '../../src/model.js';
import { checkSaying, loaded, pass } from '../support/engine-fakes.js';

const now = new Date('2025-10-11T22:30:00Z');
const report = (source: Report['source']) => buildReport({ loaded: loaded(), checks: [checkSaying('aws.c', 'critical', [pass()])], outcomes: new Map(), now, source });

describe('the age of the evidence', () => {
  it('a snapshot that does not say when it was collected cannot make the report READY', () => {
    const r = report({ kind: 'snapshot', snapshot: 'snap.json' });
    expect(r).toMatchObject({ verdict: 'NOT_READY', score: 100, band: 'yellow', exitReason: { code: 3, reason: 'could-not-see' } });
    expect(r.exitReason.cause).toBe('the snapshot does not say when its evidence was collected (snapshot snap.json)');
  });

  it('live facts and the demo are of the report\'s date: their collection time is not weighed', () => {
    expect(report({ kind: 'live' }).verdict).toBe('READY');
    expect(report({ kind: 'demo', snapshot: 'examples/demo/snapshot.json', collectedAt: '2020-01-01T00:00:00.000Z' }).verdict).toBe('READY');
  });

  it('a fresh snapshot is READY', () => {
    expect(report({ kind: 'snapshot', snapshot: 'snap.json', collectedAt: '2025-10-11T20:30:00.000Z' }).exitReason).toEqual({ code: 0, reason: 'ready' });
  });
});
