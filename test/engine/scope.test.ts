import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { buildReport } from '../../src/engine/run.js';
import { planFacts } from '../../src/engine/select.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { defineCheck, type AnyCheck, type FactOutcome, type Report } from '../../src/model.js';
import { checkOnFact, checkSaying, fail, loaded, namesFact, pass } from '../support/engine-fakes.js';

const now = new Date('2025-10-11T22:30:00Z');
const waiver = { reason: 'accepted', approvedBy: 'CISO', expires: '2026-01-01' };

function report(checks: AnyCheck[], config: Partial<ConfigInput> = {}, outcomes: Map<string, FactOutcome> = new Map()): Report {
  return buildReport({ loaded: loaded(config), checks, outcomes, now, source: { kind: 'live' } });
}

/** A check with one option (like ESLint's rule options): fails when more than `maxItems` names are present. */
const fact = namesFact('test.items');
const withOptions = defineCheck({
  meta: {
    ...checkSaying('aws.x.limit', 'high', []).meta,
    messages: { ok: 'ok with {{max}}', over: 'over {{max}}' },
    options: z.object({ maxItems: z.number().int().default(2) }),
  },
  facts: { items: fact },
  evaluate: ({ items }, { options }) => [{ resource: 'items', status: items.names.length > options.maxItems ? 'fail' : 'pass', code: items.names.length > options.maxItems ? 'over' : 'ok', args: { max: options.maxItems } }],
});
const three: Map<string, FactOutcome> = new Map([[fact.id, { ok: true, value: { names: ['a', 'b', 'c'] } }]]);

describe('checks.<id>: per-check settings', () => {
  it("a check's options are its defaults, overridden by the config entry", () => {
    const context = (checks: ConfigInput['checks']) => ({ config: loaded({ checks }).config, now });
    expect(evaluateCheck(withOptions, three, context({}))).toMatchObject([{ status: 'fail', message: 'over 2' }]);
    expect(evaluateCheck(withOptions, three, context({ 'aws.x.limit': { maxItems: 5 } }))).toMatchObject([{ status: 'pass', message: 'ok with 5' }]);
  });

  it('severity overrides the check’s own, in the result, the score and the gate', () => {
    const checks = [checkSaying('aws.c', 'critical', [pass()]), checkSaying('aws.h', 'critical', [fail()])];
    expect(report(checks).verdict).toBe('NOT_READY');
    const lowered = report(checks, { checks: { 'aws.h': { severity: 'low' } } });
    expect(lowered.results[1]).toMatchObject({ checkId: 'aws.h', severity: 'low', status: 'fail' });
    expect(lowered.blockers).toEqual([]);
    expect(lowered.score).toBe(90.9); // 10 / 11
    expect(lowered.verdict).toBe('READY');
  });

  it('off: reason makes the check not applicable, listed as turned off, and its facts are not collected', () => {
    const check = checkOnFact('aws.y', fact, { failing: ['a'] });
    const config = { checks: { 'aws.y': { off: 'no such thing in this stack' } } };
    const r = report([check], config, three);
    expect(r.results).toMatchObject([{ status: 'not_applicable', code: 'turned-off', message: 'Turned off in the config: no such thing in this stack' }]);
    expect(r.scope.off).toEqual([{ check: 'aws.y', reason: 'no such thing in this stack' }]);
    expect(planFacts([check], loaded(config).config)).toEqual([]);
  });
});

describe('unused: services the stack does not use', () => {
  const rdsCheck = checkSaying('aws.rds.public-access', 'critical', [fail('rds')]);
  const s3Check = checkSaying('aws.s3.encryption', 'critical', [pass()]);

  it('their checks are not applicable, "declared unused", and listed with the reason in the scope', () => {
    const r = report([rdsCheck, s3Check], { unused: [{ service: 'rds', reason: 'Supabase is the only database' }] });
    expect(r.results.map((x) => [x.checkId, x.status, x.code])).toEqual([
      ['aws.rds.public-access', 'not_applicable', 'declared-unused'],
      ['aws.s3.encryption', 'pass', 'good'],
    ]);
    expect(r.results[0]!.message).toBe('Declared unused (rds): Supabase is the only database');
    expect(r.scope.unused).toEqual([{ service: 'rds', reason: 'Supabase is the only database', checks: ['aws.rds.public-access'] }]);
    expect(r.verdict).toBe('READY');
  });

  it('without the declaration, the same check fails', () => {
    expect(report([rdsCheck, s3Check]).verdict).toBe('NOT_READY');
  });

  it('their facts are not collected', () => {
    const rdsFact = namesFact('aws.rds.test');
    const check = checkOnFact('aws.rds.thing', rdsFact);
    expect(planFacts([check], loaded({ unused: [{ service: 'rds', reason: 'none' }] }).config)).toEqual([]);
    expect(planFacts([check], loaded().config)).toEqual([rdsFact]);
  });
});

describe('scope: a part of a section absent from the config', () => {
  it('is listed as not assessed with its reason, though the section is assessed', () => {
    const documents = namesFact('test.documents');
    const outcomes: Map<string, FactOutcome> = new Map([[documents.id, { ok: false, failure: { kind: 'NotConfigured', message: 'no `documents:` in the config' } }]]);
    const r = report([checkOnFact('compliance.runbook', documents, { section: 'compliance' }), checkSaying('compliance.training', 'medium', [pass()], { section: 'compliance' })], {}, outcomes);
    expect(r.notAssessed).toEqual([]);
    expect(r.scope.notAssessed).toEqual([{ reason: 'no `documents:` in the config', checks: ['compliance.runbook'] }]);
  });
});

describe('waivers', () => {
  it('a check id prefix waives every check under it', () => {
    const r = report([checkSaying('aws.cloudfront.waf', 'critical', [fail()]), checkSaying('aws.cloudfront.logging', 'critical', [fail()]), checkSaying('aws.s3.x', 'critical', [fail()])], {
      waivers: [{ check: 'aws.cloudfront', ...waiver }],
    });
    expect(r.results.map((x) => x.status)).toEqual(['waived', 'waived', 'fail']);
  });

  it('a waiver that matches no open result is reported as unused; an expired one and one for an unselected check are not', () => {
    const r = report([checkSaying('aws.a', 'critical', [pass()]), checkSaying('aws.b', 'critical', [fail('x')])], {
      waivers: [
        { check: 'aws.a', ...waiver },
        { check: 'aws.b', resource: 'renamed', ...waiver },
        { check: 'aws.b', resource: 'x', ...waiver },
        { check: 'aws.a', ...waiver, expires: '2025-01-01' },
        { check: 'aws.zzz', ...waiver },
      ],
    });
    expect(r.unusedWaivers).toEqual([
      { check: 'aws.a', ...waiver },
      { check: 'aws.b', resource: 'renamed', ...waiver },
    ]);
  });
});

describe('exitReason', () => {
  const blind = (kind: string, reason: string, fix: string) => {
    const f = namesFact(`aws.blind.${kind}`);
    const outcome: FactOutcome = { ok: false, failure: { kind: kind as 'NoCredentials', message: reason, fix } };
    return { check: checkOnFact(`aws.blind.${kind}`, f), outcome: [f.id, outcome] as const };
  };
  const noCredentials = blind('NoCredentials', 'no AWS credentials: Could not load credentials from any providers', 'configure credentials');

  it('0 when READY', () => {
    expect(report([checkSaying('aws.a', 'critical', [pass()])]).exitReason).toEqual({ code: 0, reason: 'ready' });
  });

  it('3 when the gate fails only through results the tool could not see, naming the cause and its fix', () => {
    const r = report([checkSaying('aws.a', 'critical', [pass()]), noCredentials.check], {}, new Map([noCredentials.outcome]));
    expect(r.verdict).toBe('NOT_READY');
    expect(r.exitReason).toEqual({ code: 3, reason: 'could-not-see', cause: 'NoCredentials: no AWS credentials: Could not load credentials from any providers', fix: 'configure credentials' });
  });

  it('3 also when nothing at all could be seen', () => {
    expect(report([noCredentials.check], {}, new Map([noCredentials.outcome])).exitReason.code).toBe(3);
  });

  it('1 when a real blocker fails, even with unverified results besides', () => {
    const r = report([checkSaying('aws.a', 'critical', [fail()]), noCredentials.check], {}, new Map([noCredentials.outcome]));
    expect(r.exitReason).toEqual({ code: 1, reason: 'not-ready' });
  });

  it('1 when the score is under the gate without the unseen results', () => {
    const r = report([checkSaying('aws.a', 'medium', [fail()]), checkSaying('aws.b', 'low', [pass()]), noCredentials.check], {}, new Map([noCredentials.outcome]));
    expect(r.exitReason.code).toBe(1);
  });

  it('1 when the unverified result is not about seeing (a malformed answer)', () => {
    const malformed = blind('MalformedResponse', 'an HTML page', 'check aws.endpoint');
    expect(report([malformed.check], {}, new Map([malformed.outcome])).exitReason.code).toBe(1);
  });
});
