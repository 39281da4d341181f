// Table-driven, like ESLint's RuleTester: facts in, [resource, status, code] out. Run with `node --test readiness/checks/`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCase, type CheckCase } from 'hipaa-readiness/plugin';
import check from './acme.health-latency.ts';

const probe = {
  id: 'api-health',
  url: 'https://api.example.com/health',
  target: { host: 'api.example.com', address: '203.0.113.10', port: 443, overridden: false },
  expectStatus: 200,
  timeoutMs: 5000,
  outcome: 'answered',
  status: 200,
  durationMs: 120,
  error: null,
};

const cases: CheckCase[] = [
  { name: 'within the budget', facts: { probes: [probe] }, expected: [['api-health', 'pass', 'within-budget']] },
  { name: 'over the budget', facts: { probes: [{ ...probe, durationMs: 1500 }] }, expected: [['api-health', 'fail', 'over-budget']] },
  { name: 'a tighter budget from the config', facts: { probes: [probe] }, options: { maxMs: 100 }, expected: [['api-health', 'fail', 'over-budget']] },
  { name: 'no answer is unverified, never within the budget', facts: { probes: [{ ...probe, outcome: 'timeout', status: null, durationMs: 5000 }] }, expected: [['api-health', 'unverified', 'no-answer']] },
  { name: 'no probe configured, no finding', facts: { probes: [] }, expected: [] },
];

for (const testCase of cases) {
  test(testCase.name, () => assert.deepEqual(runCase(check, testCase), testCase.expected));
}
