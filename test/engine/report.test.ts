import { describe, expect, it } from 'vitest';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { buildReport } from '../../src/engine/run.js';
import { defineCheck, optional, type AnyCheck, type FactOutcome, type Report } from '../../src/model.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { checkSaying, fail, loaded, namesFact, notApplicable, pass, unverified } from '../support/engine-fakes.js';

const now = new Date('2025-10-11T22:30:00Z');

function report(checks: AnyCheck[], config: Partial<ConfigInput> = {}, gate?: { minScore?: number; failOn?: 'critical' | 'high' | 'medium' | 'low' }): Report {
  return buildReport({ loaded: loaded(config), checks, outcomes: new Map(), now, source: { kind: 'live' }, gate });
}

describe('scoring', () => {
  it('weighs critical 10, high 7, medium 3, low 1', () => {
    const r = report([
      checkSaying('aws.c', 'critical', [pass()]),
      checkSaying('aws.h', 'high', [fail()]),
      checkSaying('aws.m', 'medium', [pass()]),
      checkSaying('aws.l', 'low', [fail()]),
    ]);
    expect(r.score).toBe(61.9); // 13 / 21
  });

  it('counts unverified against the score', () => {
    expect(report([checkSaying('aws.c', 'critical', [pass()]), checkSaying('aws.h', 'high', [unverified()])]).score).toBe(58.8); // 10 / 17
  });

  it('leaves not_applicable, waived and unscored checks out', () => {
    const r = report(
      [
        checkSaying('aws.c', 'critical', [pass()]),
        checkSaying('aws.na', 'critical', [notApplicable()]),
        checkSaying('aws.w', 'critical', [fail()]),
        checkSaying('info.cost', 'critical', [fail()], { section: 'info', scored: false }),
      ],
      { waivers: [{ check: 'aws.w', reason: 'accepted', approvedBy: 'CISO', expires: '2026-01-01' }] },
    );
    expect(r.score).toBe(100);
    expect(r.verdict).toBe('READY');
    expect(r.summary).toEqual({ pass: 1, fail: 1, unverified: 0, not_applicable: 1, waived: 1 });
  });

  it('takes a check at its worst status over its resources, weighed once', () => {
    const r = report([checkSaying('aws.c', 'critical', [pass('a'), pass('b'), fail('c')]), checkSaying('aws.l', 'low', [pass()])]);
    expect(r.score).toBe(9.1); // 1 / 11: one failing resource fails the whole check
    const section = r.sections.find((s) => s.id === 'aws')!;
    expect(section.counts).toMatchObject({ pass: 3, fail: 1 });
  });

  it('an unverified result is no better than a fail for the verdict', () => {
    const r = report([checkSaying('aws.c', 'critical', [pass('a'), unverified('b')])]);
    expect(r.verdict).toBe('NOT_READY');
    expect(r.blockers.map((b) => [b.resource, b.status])).toEqual([['b', 'unverified']]);
  });

  // 57 of 67 = 85.1 %: above a gate of 80 but with a critical blocker, as in the seed.
  const eightyFive = (failing: 'critical' | 'high') => [
    checkSaying('aws.blocker', failing, [fail()]),
    ...Array.from({ length: failing === 'critical' ? 8 : 6 }, (_, i) => checkSaying(`aws.h${i}`, 'high', [pass()])),
    checkSaying('aws.l', 'low', [pass()]),
    ...(failing === 'high' ? [checkSaying('aws.c', 'critical', [pass()]), checkSaying('aws.c2', 'critical', [pass()])] : []),
  ];

  it('85 % with a critical blocker is NOT READY even when the score clears the gate', () => {
    const r = report(eightyFive('critical'), { gate: { minScore: 80 } });
    expect(r.score).toBe(85.1);
    expect(r.verdict).toBe('NOT_READY');
    expect(r.band).toBe('yellow');
    expect(r.blockers.map((b) => b.checkId)).toEqual(['aws.blocker']);
  });

  it('a high finding blocks only when failOn is high or lower', () => {
    expect(report(eightyFive('high'), { gate: { minScore: 80 } }).verdict).toBe('READY');
    expect(report(eightyFive('high'), { gate: { minScore: 80, failOn: 'high' } }).verdict).toBe('NOT_READY');
    expect(report(eightyFive('high'), { gate: { minScore: 80 } }, { failOn: 'high' }).verdict).toBe('NOT_READY');
  });

  it('a score under the gate is NOT READY without any blocker; --fail-under overrides gate.minScore', () => {
    const checks = [checkSaying('aws.c', 'critical', [pass()]), checkSaying('aws.l', 'low', [fail()])]; // 90.9
    expect(report(checks, { gate: { minScore: 95 } })).toMatchObject({ verdict: 'NOT_READY', blockers: [] });
    expect(report(checks, { gate: { minScore: 95 } }, { minScore: 90 }).verdict).toBe('READY');
    expect(report(checks).gate).toEqual({ minScore: 90, failOn: 'critical' });
  });

  it('bands: green only when READY, yellow from 70, red below', () => {
    expect(report([checkSaying('aws.c', 'critical', [pass()])]).band).toBe('green');
    expect(report([checkSaying('aws.c', 'critical', [pass()]), checkSaying('aws.m', 'medium', [fail()])]).band).toBe('yellow'); // 76.9
    expect(report([checkSaying('aws.c', 'critical', [fail()])]).band).toBe('red');
  });

  it('nothing evaluated is NOT READY, even with gate.minScore 0', () => {
    expect(report([checkSaying('aws.na', 'critical', [notApplicable()])])).toMatchObject({ verdict: 'NOT_READY', score: 0 });
    expect(report([checkSaying('aws.na', 'critical', [notApplicable()])], { gate: { minScore: 0 } }).verdict).toBe('NOT_READY');
    expect(report([], { gate: { minScore: 0 } }).verdict).toBe('NOT_READY');
  });
});

describe('waivers', () => {
  const waiver = { reason: 'WAF comes with the CDN move', approvedBy: 'CISO' };

  it('applies with its reason, approver and expiry', () => {
    const r = report([checkSaying('aws.c', 'critical', [fail()])], { waivers: [{ check: 'aws.c', ...waiver, expires: '2025-12-31' }] });
    expect(r.results[0]).toMatchObject({ status: 'waived', waiver: { ...waiver, expires: '2025-12-31', expired: false } });
    expect(r.blockers).toEqual([]);
    expect(r.expiredWaivers).toEqual([]);
  });

  it('still applies on its expiry day, and stops applying the day after (listed in expiredWaivers)', () => {
    const check = checkSaying('aws.c', 'critical', [fail()]);
    expect(report([check], { waivers: [{ check: 'aws.c', ...waiver, expires: '2025-10-11' }] }).results[0]!.status).toBe('waived');
    const expired = report([check], { waivers: [{ check: 'aws.c', ...waiver, expires: '2025-10-10' }] });
    expect(expired.results[0]).toMatchObject({ status: 'fail', waiver: { expired: true } });
    expect(expired.expiredWaivers).toEqual([{ check: 'aws.c', ...waiver, expires: '2025-10-10', expired: true }]);
    expect(expired.verdict).toBe('NOT_READY');
  });

  it('a waiver for one resource does not waive the others', () => {
    const r = report([checkSaying('aws.c', 'critical', [fail('bucket-a'), fail('bucket-b')])], {
      waivers: [{ check: 'aws.c', resource: 'bucket-a', ...waiver, expires: '2026-01-01' }],
    });
    expect(r.results.map((x) => [x.resource, x.status])).toEqual([['bucket-a', 'waived'], ['bucket-b', 'fail']]);
    expect(r.verdict).toBe('NOT_READY');
  });

  it('an expired waiver does not hide a valid one for the same result', () => {
    const r = report([checkSaying('aws.c', 'critical', [fail('a')])], {
      waivers: [
        { check: 'aws.c', ...waiver, expires: '2025-01-01' },
        { check: 'aws.c', resource: 'a', ...waiver, expires: '2026-01-01' },
      ],
    });
    expect(r.results[0]!.status).toBe('waived');
  });

  it('never turns a pass into waived', () => {
    const r = report([checkSaying('aws.c', 'critical', [pass()])], { waivers: [{ check: 'aws.c', ...waiver, expires: '2026-01-01' }] });
    expect(r.results[0]!.status).toBe('pass');
  });
});

describe('evaluateCheck', () => {
  const fact = namesFact('test.subject');
  const failed: FactOutcome = { ok: false, failure: { kind: 'AccessDenied', message: 'denied', fix: 'grant test:GetSubject' } };
  const base = checkSaying('aws.c', 'critical', []).meta;

  it('a check that throws is unverified (check-error), not a crash', () => {
    const check = defineCheck({ meta: base, facts: {}, evaluate: () => { throw new Error('bug'); } });
    expect(evaluateCheck(check, new Map(), { config: loaded().config, now })).toMatchObject([{ status: 'unverified', code: 'check-error' }]);
  });

  it('a check that says nothing is unverified (no-findings)', () => {
    expect(evaluateCheck(checkSaying('aws.c', 'critical', []), new Map(), { config: loaded().config, now })).toMatchObject([{ status: 'unverified', code: 'no-findings' }]);
  });

  it('a required fact missing from the outcomes (not in the snapshot) is unverified', () => {
    const check = defineCheck({ meta: base, facts: { subject: fact }, evaluate: () => [pass()] });
    expect(evaluateCheck(check, new Map(), { config: loaded().config, now })).toMatchObject([{ status: 'unverified', code: 'fact-unavailable', evidence: { failure: 'NotFound' } }]);
  });

  it('an optional fact is handed over failed, and the check decides', () => {
    const check = defineCheck({
      meta: base,
      facts: { subject: optional(fact) },
      evaluate: ({ subject }) => [subject.ok ? pass() : { resource: 'project', status: 'unverified', code: 'unknown', args: { kind: subject.failure.kind } }],
    });
    expect(evaluateCheck(check, new Map([[fact.id, failed]]), { config: loaded().config, now })).toMatchObject([{ status: 'unverified', code: 'unknown' }]);
  });

  it('fills the remediation command from the finding', () => {
    expect(evaluateCheck(checkSaying('aws.c', 'critical', [fail('db-1')]), new Map(), { config: loaded().config, now })[0]!.remediation.command).toBe('fix db-1');
  });

  it('gives a fix command to open results only: a failure (waived too) and an unverified one, never a pass or a not-applicable', () => {
    const check = checkSaying('aws.c', 'critical', [fail('db-1'), unverified('db-2'), pass('db-3'), notApplicable('db-4'), fail('db-5')]);
    const r = report([check], { waivers: [{ check: 'aws.c', resource: 'db-5', reason: 'r', approvedBy: 'CISO', expires: '2026-01-01' }] });
    expect(r.results.map((x) => [x.resource, x.status, x.remediation.command])).toEqual([
      ['db-1', 'fail', 'fix db-1'],
      ['db-2', 'unverified', 'fix db-2'],
      ['db-3', 'pass', undefined],
      ['db-4', 'not_applicable', undefined],
      ['db-5', 'waived', 'fix db-5'],
    ]);
    // What the result still says of its fix, its check's text and effort, is kept.
    expect(r.results[2]!.remediation).toEqual(r.results[3]!.remediation);
    expect(r.results[2]!.remediation.text).toBe(check.meta.remediation.text);
  });

  it('fills each command from its own finding, and omits one with a control character or a placeholder left', () => {
    const meta = { ...base, remediation: { ...base.remediation, command: 'fix {{resource}} --trail {{trail}} --n {{n}}' } };
    const findings = [
      { resource: 'a', status: 'fail', code: 'x', args: { trail: 't1', n: 1, other: 'p' } },
      { resource: 'a', status: 'fail', code: 'x', args: { trail: 't1', n: 1, other: 'q' } },
      { resource: 'a', status: 'fail', code: 'x', args: { trail: 't1', n: 2 } },
      { resource: 'a', status: 'fail', code: 'x', args: { trail: 't2', n: 2 } },
      { resource: 'b c', status: 'fail', code: 'x', args: { trail: 't2', n: 2 } },
      { resource: 'b\nc', status: 'fail', code: 'x', args: { trail: 't2', n: 2 } },
      { resource: 'b c', status: 'fail', code: 'x', args: { n: 2 } },
      { resource: 'b c', status: 'fail', code: 'x', args: { trail: '{{n}}', n: 2 } },
      { resource: 'b c', status: 'fail', code: 'x', args: { trail: 't\u001b', n: 2 } },
      { resource: 'b c', status: 'fail', code: 'x', args: { trail: 't3', n: 2 } },
    ] as const;
    const check = defineCheck({ meta, facts: {}, evaluate: () => findings.map((finding) => ({ ...finding, args: { ...finding.args } })) });
    const results = evaluateCheck(check, new Map(), { config: loaded().config, now });
    expect(results.map((r) => r.remediation.command)).toEqual([
      'fix a --trail t1 --n 1',
      'fix a --trail t1 --n 1',
      'fix a --trail t1 --n 2',
      'fix a --trail t2 --n 2',
      "fix 'b c' --trail t2 --n 2",
      // A control character from a name, a placeholder left: no command.
      undefined,
      undefined,
      undefined,
      undefined,
      "fix 'b c' --trail t3 --n 2",
    ]);
  });

  it('escapes the control characters of a name, and of any arg, in the message; a clean message is as rendered', () => {
    const meta = { ...base, messages: { x: '{{resource}} has {{state}}', y: 'plain {{resource}}' } };
    const findings = [
      { resource: 'a\u202eb', status: 'fail', code: 'y' },
      { resource: 'ok', status: 'fail', code: 'x', args: { state: 'bad\nline' } },
      { resource: 'ok', status: 'fail', code: 'x', args: { state: 'fine', resource: 'own\rname' } },
      { resource: 'ok', status: 'pass', code: 'x', args: { state: 'fine' } },
    ] as const;
    const check = defineCheck({ meta, facts: {}, evaluate: () => findings.map((finding) => ({ ...finding })) });
    const results = evaluateCheck(check, new Map(), { config: loaded().config, now });
    expect(results.map((r) => [r.resource, r.message])).toEqual([
      ['a\\u202eb', 'plain a\\u202eb'],
      ['ok', 'ok has bad\\nline'],
      ['ok', 'own\\rname has fine'],
      ['ok', 'ok has fine'],
    ]);
  });
});
