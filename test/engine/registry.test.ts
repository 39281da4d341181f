import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allChecks } from '../../checks/index.js';
import { defineCollector } from '../../src/collectors/types.js';
import { buildCatalog, PluginError, type CheckSource } from '../../src/engine/registry.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { documents } from '../../src/facts/evidence.js';
import { defineCheck, defineFact, optional, type AnyCheck, type FactOutcome } from '../../src/model.js';
import { makeConfig } from '../support/check-tester.js';

const runbookFact = defineFact({ id: 'example.runbook', description: 'the runbook file', schema: z.object({ exists: z.boolean() }), permissions: [] });
const runbookCollector = defineCollector(runbookFact, async () => ({ exists: true }));

function check(overrides: { id?: string; section?: string; severity?: string } = {}, facts: Record<string, unknown> = { runbook: runbookFact }, evaluate?: AnyCheck['evaluate']): AnyCheck {
  return defineCheck({
    meta: {
      id: overrides.id ?? 'example.runbook',
      title: 'Runbook exists',
      failureTitle: 'Runbook is missing',
      description: 'Operators need a runbook.',
      section: (overrides.section ?? 'compliance') as 'compliance',
      severity: (overrides.severity ?? 'medium') as 'medium',
      layer: 'operational',
      hipaa: ['164.308(a)(7)(ii)(B)'],
      phase: 5,
      remediation: { text: 'Write the runbook', effortMinutes: 60 },
      messages: { present: 'The runbook exists', missing: 'No runbook' },
    },
    facts: facts as { runbook: typeof runbookFact },
    evaluate: evaluate ?? (({ runbook }) => [{ resource: 'runbook', status: runbook.exists ? 'pass' : 'fail', code: runbook.exists ? 'present' : 'missing' }]),
  });
}

const source = (checks: AnyCheck[], extra: Partial<CheckSource> = {}): CheckSource => ({ name: 'plugin readiness-plugin-example', namespace: 'example', checks, collectors: [runbookCollector], ...extra });

function evaluate(catalogCheck: AnyCheck, outcomes: Record<string, FactOutcome>) {
  return evaluateCheck(catalogCheck, new Map(Object.entries(outcomes)), { config: makeConfig(), now: new Date('2026-01-01T00:00:00Z') });
}

describe('the registry: built-ins plus the checks that join them', () => {
  it('puts a valid plugin check after the built-ins, with its collector and its source', () => {
    const catalog = buildCatalog([source([check()])]);
    expect(catalog.checks.slice(0, allChecks.length)).toEqual(allChecks);
    expect(catalog.checks.at(-1)!.meta.id).toBe('example.runbook');
    expect(catalog.collectors.get('example.runbook')).toBe(runbookCollector);
    expect(catalog.sources.get('example.runbook')).toBe('plugin readiness-plugin-example');
  });

  it.each([
    ['a built-in check id', [check({ id: 'aws.s3.encryption' })], {}, /already a built-in check/],
    ['a built-in namespace', [check({ id: 'compliance.runbook-owner' })], { namespace: undefined }, /built-in namespace "compliance"/],
    ['another namespace than the plugin', [check({ id: 'other.runbook' })], {}, /must be namespaced "example.<id>"/],
    ['an id without a namespace', [check({ id: 'runbook' })], {}, /meta.id: an id is lowercase, namespaced/],
    ['an unknown section', [check({ section: 'ops' })], {}, /check "example.runbook": meta.section: unknown section "ops" \(sections: aws,/],
    ['a bad severity', [check({ severity: 'urgent' })], {}, /meta.severity: bad severity "urgent"/],
    ['a duplicate id', [check(), check()], {}, /check "example.runbook" is already defined by plugin readiness-plugin-example/],
    ['a fact nothing collects', [check()], { collectors: [] }, /reads fact "example.runbook", which nothing collects/],
    ['garbage', [{ nope: true } as unknown as AnyCheck], {}, /check 1: meta: /],
  ])('refuses %s, naming the plugin', (_, checks, extra, message) => {
    const build = () => buildCatalog([source(checks, extra)]);
    expect(build).toThrow(PluginError);
    expect(build).toThrow(/^plugin readiness-plugin-example: /);
    expect(build).toThrow(message);
  });

  it('refuses a collector that would override a built-in fact', () => {
    const forged = defineCollector({ ...documents, schema: z.any() }, async () => []);
    expect(() => buildCatalog([source([check()], { collectors: [runbookCollector, forged] })])).toThrow(/collector for "evidence.documents" would override the built-in fact/);
  });

  it('refuses the same fact collected by two plugins', () => {
    const other: CheckSource = { name: 'plugin readiness-plugin-other', checks: [], collectors: [runbookCollector] };
    expect(() => buildCatalog([source([check()]), other])).toThrow(/^plugin readiness-plugin-other: fact "example.runbook" is also collected by plugin readiness-plugin-example/);
  });

  it("binds a plugin's copy of a built-in fact to the built-in definition (its schema cannot be loosened)", () => {
    const loose = { ...documents, schema: z.any() };
    const catalog = buildCatalog([source([check({}, { documents: loose }, () => [{ resource: 'x', status: 'pass', code: 'present' }])])]);
    expect(catalog.checks.at(-1)!.facts.documents).toBe(documents);
  });
});

describe('a plugin check under the engine', () => {
  it('is unverified when its fact failed to collect, never pass', () => {
    const [catalogCheck] = buildCatalog([source([check()])]).checks.slice(-1);
    const results = evaluate(catalogCheck!, { 'example.runbook': { ok: false, failure: { kind: 'Error', message: 'collector threw: boom' } } });
    expect(results.map((r) => [r.status, r.code])).toEqual([['unverified', 'fact-unavailable']]);
  });

  it('cannot pass a resource while an optional fact failed', () => {
    // A plugin that reads its fact as optional and ignores the failure: the engine hands it the failed outcome.
    const careless = check({}, { runbook: optional(runbookFact) }, () => [{ resource: 'runbook', status: 'pass', code: 'present' }, { resource: 'other', status: 'fail', code: 'missing' }]);
    const [catalogCheck] = buildCatalog([source([careless])]).checks.slice(-1);
    const results = evaluate(catalogCheck!, { 'example.runbook': { ok: false, failure: { kind: 'AccessDenied', message: 'denied' } } });
    expect(results.map((r) => [r.resource, r.status, r.code])).toEqual([
      ['runbook', 'unverified', 'fact-unavailable'],
      ['other', 'fail', 'missing'],
    ]);
  });

  it('throwing while evaluating is unverified for that check only, naming the plugin', () => {
    const throwing = check({}, undefined, () => {
      throw new Error('cannot read property x\n  at evaluate');
    });
    const [catalogCheck] = buildCatalog([source([throwing])]).checks.slice(-1);
    const [result] = evaluate(catalogCheck!, { 'example.runbook': { ok: true, value: { exists: true } } });
    expect(result).toMatchObject({ status: 'unverified', code: 'plugin-error', message: 'The check from plugin readiness-plugin-example failed to evaluate: threw while evaluating: cannot read property x' });
  });

  it('a malformed finding is unverified, not whatever it claimed', () => {
    const sloppy = check({}, undefined, () => [{ resource: 'runbook', status: 'passed', code: 'present' }] as never);
    const [catalogCheck] = buildCatalog([source([sloppy])]).checks.slice(-1);
    const [result] = evaluate(catalogCheck!, { 'example.runbook': { ok: true, value: { exists: true } } });
    expect(result).toMatchObject({ status: 'unverified', code: 'plugin-error' });
    expect(result!.message).toMatch(/finding 1 is malformed \(status: /);
  });

  it('passes and fails as it says from a collected fact', () => {
    const [catalogCheck] = buildCatalog([source([check()])]).checks.slice(-1);
    expect(evaluate(catalogCheck!, { 'example.runbook': { ok: true, value: { exists: true } } }).map((r) => r.status)).toEqual(['pass']);
    expect(evaluate(catalogCheck!, { 'example.runbook': { ok: true, value: { exists: false } } }).map((r) => r.status)).toEqual(['fail']);
  });
});
