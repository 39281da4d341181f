import { describe, expect, it } from 'vitest';
import { defineCollector, FactError, PartialFact } from '../../src/collectors/types.js';
import { collectFacts } from '../../src/engine/collect.js';
import { buildReport } from '../../src/engine/run.js';
import pLimit from 'p-limit';
import { readEach } from '../../src/collectors/read-each.js';
import { defineCheck, FAILURE_KINDS, type AnyCheck, type FactOutcome } from '../../src/model.js';
import { checkOnFact, collectContext, collectorMap, loaded, namesFact } from '../support/engine-fakes.js';

const now = new Date('2025-10-11T22:30:00Z');
const never = () => new Promise<never>(() => {});

/** Collects one fact with the given collector body, evaluates a critical check on it, returns the outcome and the report. */
async function runOne(collect: () => Promise<unknown>, options: { collectorTimeoutMs?: number; runSignal?: AbortSignal } = {}) {
  const fact = namesFact('test.subject');
  const check = checkOnFact('aws.test.subject', fact);
  const outcomes = await collectFacts([fact], {
    collectors: collectorMap(defineCollector(fact, collect as never)),
    context: collectContext(),
    ...options,
  });
  const report = buildReport({ loaded: loaded(), checks: [check], outcomes, now, source: { kind: 'live' } });
  return { outcome: outcomes.get(fact.id)!, report, result: report.results[0]! };
}

function failureOf(outcome: FactOutcome) {
  if (outcome.ok) throw new Error('expected a failed outcome');
  return outcome.failure;
}

describe('collectFacts: fail closed', () => {
  it('a good answer is a value and the check evaluates it', async () => {
    const { report } = await runOne(async () => ({ names: ['a', 'b'] }));
    expect(report.results.map((r) => [r.resource, r.status])).toEqual([['a', 'pass'], ['b', 'pass']]);
  });

  it('a collector that throws a plain error makes the check unverified', async () => {
    const { outcome, result, report } = await runOne(async () => {
      throw new TypeError('boom\nsecond line of a stack');
    });
    expect(failureOf(outcome)).toMatchObject({ kind: 'Error', message: 'boom' });
    expect(result).toMatchObject({ status: 'unverified', code: 'fact-unavailable', resource: 'project' });
    // Not seen is not failed: the title makes no claim about the resource.
    expect(result.title).not.toBe('aws.test.subject is not fine');
    expect(report.verdict).toBe('NOT_READY');
    expect(report.blockers).toHaveLength(1);
  });

  const kinds = FAILURE_KINDS.filter((kind) => kind !== 'NotConfigured');
  it.each(kinds)('FactError %s → unverified with the reason and the fix', async (kind) => {
    const { outcome, result, report } = await runOne(async () => {
      throw new FactError(kind, `could not read (${kind})`, 'grant test:GetSubject');
    });
    expect(failureOf(outcome).kind).toBe(kind);
    expect(result.status).toBe('unverified');
    expect(result.code).toBe('fact-unavailable');
    expect(result.evidence).toMatchObject({ failure: kind, fix: 'grant test:GetSubject' });
    expect(result.message).toContain(`could not read (${kind})`);
    expect(result.remediation.text).toContain('grant test:GetSubject');
    expect(report.summary.pass).toBe(0);
    expect(report.verdict).toBe('NOT_READY');
  });

  it('NotConfigured → not_applicable, and the section is listed as not assessed', async () => {
    const { result, report } = await runOne(async () => {
      throw new FactError('NotConfigured', 'no `aws` section in the config');
    });
    expect(result).toMatchObject({ status: 'not_applicable', code: 'not-assessed' });
    expect(report.notAssessed).toEqual(['aws']);
    expect(report.sections.find((s) => s.id === 'aws')).toMatchObject({ assessed: false, band: 'red', score: null });
    // Nothing evaluated is not a pass either.
    expect(report.verdict).toBe('NOT_READY');
  });

  it.each([
    ['a wrong type', { names: 'a' }],
    ['a missing key', {}],
    ['undefined', undefined],
  ])('an off-schema answer (%s) is MalformedResponse, never a value', async (_, value) => {
    const { outcome, result } = await runOne(async () => value);
    expect(failureOf(outcome).kind).toBe('MalformedResponse');
    expect(result.status).toBe('unverified');
  });

  it('a collector that hangs past its own timeout is unverified (Timeout)', async () => {
    const started = Date.now();
    const { outcome, result } = await runOne(never, { collectorTimeoutMs: 50 });
    expect(failureOf(outcome).kind).toBe('Timeout');
    expect(result.status).toBe('unverified');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('the whole run timeout makes what has not answered unverified, and keeps what has', async () => {
    const quick = namesFact('test.quick');
    const slow = namesFact('test.slow');
    const queued = namesFact('test.queued');
    const checks: AnyCheck[] = [checkOnFact('aws.quick', quick), checkOnFact('aws.slow', slow), checkOnFact('aws.queued', queued)];
    const outcomes = await collectFacts([quick, slow, queued], {
      collectors: collectorMap(
        defineCollector(quick, async () => ({ names: ['q'] })),
        defineCollector(slow, never),
        defineCollector(queued, never),
      ),
      context: collectContext(),
      concurrency: 2,
      collectorTimeoutMs: 60_000,
      runSignal: AbortSignal.timeout(100),
    });
    const report = buildReport({ loaded: loaded(), checks, outcomes, now, source: { kind: 'live' } });
    expect(report.results.map((r) => [r.checkId, r.status])).toEqual([
      ['aws.quick', 'pass'],
      ['aws.slow', 'unverified'],
      ['aws.queued', 'unverified'],
    ]);
    expect(failureOf(outcomes.get(slow.id)!)).toMatchObject({ kind: 'Timeout', message: expect.stringContaining('--timeout') });
  });

  it('a fact nobody collects is unverified (no collector)', async () => {
    const fact = namesFact('test.orphan');
    const outcomes = await collectFacts([fact], { collectors: new Map(), context: collectContext() });
    expect(failureOf(outcomes.get(fact.id)!).kind).toBe('Error');
  });
});

describe('collectFacts: each fact once, under the bound', () => {
  it('a fact needed by several checks and by other collectors (context.fact) is collected once', async () => {
    const base = namesFact('test.base');
    const left = namesFact('test.left');
    const right = namesFact('test.right');
    const calls: Record<string, number> = {};
    const count = (id: string) => (calls[id] = (calls[id] ?? 0) + 1);
    const collectors = collectorMap(
      defineCollector(base, async () => {
        count('base');
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { names: ['x'] };
      }),
      defineCollector(left, async (context) => {
        count('left');
        return { names: (await context.fact(base)).names.map((n) => `left-${n}`) };
      }),
      defineCollector(right, async (context) => {
        count('right');
        return { names: (await context.fact(base)).names.map((n) => `right-${n}`) };
      }),
    );
    const checks = [checkOnFact('aws.a', base), checkOnFact('aws.b', base), checkOnFact('aws.c', left), checkOnFact('aws.d', right)];
    const { planFacts } = await import('../../src/engine/select.js');
    const outcomes = await collectFacts(planFacts(checks), { collectors, context: collectContext(), concurrency: 1 });
    expect(calls).toEqual({ base: 1, left: 1, right: 1 });
    expect(outcomes.get(left.id)).toEqual({ ok: true, value: { names: ['left-x'] } });
    expect(outcomes.get(right.id)).toEqual({ ok: true, value: { names: ['right-x'] } });
  });

  it('a failed dependency fails the fact built on it, with its kind and fix', async () => {
    const base = namesFact('test.base');
    const derived = namesFact('test.derived');
    const outcomes = await collectFacts([derived], {
      collectors: collectorMap(
        defineCollector(base, async () => {
          throw new FactError('AccessDenied', 'denied', 'grant test:GetBase');
        }),
        defineCollector(derived, async (context) => context.fact(base)),
      ),
      context: collectContext(),
    });
    expect(failureOf(outcomes.get(derived.id)!)).toMatchObject({ kind: 'AccessDenied', fix: 'grant test:GetBase' });
  });

  it('never runs more collectors at once than the concurrency bound', async () => {
    const facts = Array.from({ length: 7 }, (_, i) => namesFact(`test.f${i}`));
    let active = 0;
    let peak = 0;
    const collectors = collectorMap(
      ...facts.map((fact) =>
        defineCollector(fact, async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setTimeout(resolve, 15));
          active--;
          return { names: [] };
        }),
      ),
    );
    const outcomes = await collectFacts(facts, { collectors, context: collectContext(), concurrency: 3 });
    expect(peak).toBe(3);
    expect([...outcomes.values()].every((o) => o.ok)).toBe(true);
  });
});

describe('collectFacts: a fact cut off part-way keeps what it read', () => {
  const cutOffAt = (ms: number) => AbortSignal.timeout(ms);

  /** A per-resource collector: `slow` names never answer, the others at once. */
  const perResource = (fact: ReturnType<typeof namesFact>, names: string[], slow: string[]) =>
    defineCollector(fact, async (context) => {
      try {
        return {
          names: await readEach(context, names, { name: (n) => n, limit: pLimit(4), counting: 'test' }, async (name) => {
            if (slow.includes(name)) await never();
            return name;
          }),
        };
      } catch (error) {
        // The fact wraps its list: so does the part that was read.
        if (error instanceof PartialFact) throw new PartialFact({ names: error.value }, error.unread, error.read, error.message, error.fix);
        throw error;
      }
    });

  it('read resources keep their verdicts; each resource not read is unverified, by name, with the reason and the fix', async () => {
    const fact = namesFact('test.buckets');
    const outcomes = await collectFacts([fact], {
      collectors: collectorMap(perResource(fact, ['a', 'b', 'c', 'd'], ['b', 'd'])),
      context: collectContext(),
      runSignal: cutOffAt(150),
    });
    const outcome = outcomes.get(fact.id)!;
    expect(outcome).toMatchObject({ ok: true, value: { names: ['a', 'c'] }, partial: { kind: 'Timeout', unread: ['b', 'd'] } });
    const report = buildReport({ loaded: loaded(), checks: [checkOnFact('aws.test.buckets', fact, { failing: ['c'] })], outcomes, now, source: { kind: 'live' } });
    expect(report.results.map((r) => [r.resource, r.status, r.code])).toEqual([
      ['a', 'pass', 'good'],
      ['c', 'fail', 'bad'],
      ['b', 'unverified', 'fact-unavailable'],
      ['d', 'unverified', 'fact-unavailable'],
    ]);
    const unread = report.results.find((r) => r.resource === 'b')!;
    expect(unread.message).toContain('--timeout');
    expect(unread.evidence).toMatchObject({ failure: 'Timeout', fix: 'raise --timeout' });
    expect(report.verdict).toBe('NOT_READY');
  });

  it('a fact cut off before anything was read: every resource unverified by name, never what the check says of an empty list', async () => {
    const fact = namesFact('test.buckets');
    // This check fails an empty list ("no buckets"): with nothing read, that claim is not evidence.
    const check = defineCheck({
      ...checkOnFact('aws.test.none', fact),
      evaluate: ({ subject }: { subject: { names: string[] } }) => (subject.names.length === 0 ? [{ resource: 'project', status: 'fail' as const, code: 'bad' }] : []),
    } as AnyCheck);
    const outcomes = await collectFacts([fact], {
      collectors: collectorMap(perResource(fact, ['x', 'y'], ['x', 'y'])),
      context: collectContext(),
      runSignal: cutOffAt(100),
    });
    const report = buildReport({ loaded: loaded(), checks: [check], outcomes, now, source: { kind: 'live' } });
    expect(report.results.map((r) => [r.resource, r.status])).toEqual([
      ['x', 'unverified'],
      ['y', 'unverified'],
    ]);
  });

  it('a plain answer given after the cut-off is not taken (it may be a swallowed abort that reads as "none")', async () => {
    const fact = namesFact('test.swallowed');
    const outcomes = await collectFacts([fact], {
      collectors: collectorMap(
        defineCollector(fact, async (context) => {
          await new Promise((resolve) => context.signal.addEventListener('abort', resolve));
          return { names: [] };
        }),
      ),
      context: collectContext(),
      runSignal: cutOffAt(100),
    });
    expect(failureOf(outcomes.get(fact.id)!)).toMatchObject({ kind: 'Timeout', fix: 'raise --timeout' });
  });

  it('a per-resource fact built on a cut-off one names each resource it had no time to read', async () => {
    const base = namesFact('test.base');
    const derived = namesFact('test.derived');
    const readEachOfBase = defineCollector(derived, async (context) => {
      const { names } = await context.fact(base);
      const read = await readEach(context, names, { name: (n) => n, limit: pLimit(4), counting: 'test' }, async (name) => name).catch((error: unknown) => {
        throw error instanceof PartialFact ? new PartialFact({ names: error.value }, error.unread, error.read, error.message, error.fix) : error;
      });
      return { names: read };
    });
    const outcomes = await collectFacts([base, derived], {
      collectors: collectorMap(perResource(base, ['a', 'b'], ['b']), readEachOfBase),
      context: collectContext(),
      runSignal: cutOffAt(150),
    });
    expect(outcomes.get(base.id)).toMatchObject({ ok: true, value: { names: ['a'] }, partial: { unread: ['b'] } });
    expect(outcomes.get(derived.id)).toMatchObject({ ok: true, value: { names: [] }, partial: { unread: ['a'] } });
  });
});
