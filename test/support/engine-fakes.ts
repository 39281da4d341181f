import { z } from 'zod';
import { AwsSession } from '../../src/collectors/aws/session.js';
import type { CollectContext, Collector } from '../../src/collectors/types.js';
import type { LoadedConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { defineCheck, defineFact, type AnyCheck, type FactDefinition, type Finding, type SectionId, type Severity } from '../../src/model.js';
import { makeConfig } from './check-tester.js';

/** A fact whose value is a list of names (enough to tell a real answer from an off-schema one). */
export function namesFact(id: string): FactDefinition<string, z.ZodType<{ names: string[] }>> {
  return defineFact({ id, description: `test fact ${id}`, permissions: [`test:Get${id}`], schema: z.object({ names: z.array(z.string()) }) });
}

export function loaded(input: Partial<ConfigInput> = {}): LoadedConfig {
  const file = '/tmp/readiness.config.yaml';
  return { config: makeConfig(input), file, hash: 'test', unsetVariables: [], locate: () => ({ file }), locateKey: () => ({ file }), lineOf: () => undefined };
}

/** What collectFacts passes to every collector, minus the signal and fact() it adds. */
export function collectContext(input: Partial<ConfigInput> = {}): Omit<CollectContext, 'signal' | 'fact'> {
  const { config } = loaded(input);
  return { config, now: new Date('2025-10-11T22:30:00Z'), env: {}, baseDir: '/tmp', aws: new AwsSession({ config: undefined, env: {} }) };
}

export function collectorMap(...collectors: Collector[]): Map<string, Collector> {
  return new Map(collectors.map((collector) => [collector.fact.id, collector]));
}

/** A check that reads one fact and passes for each name in it (or fails the names listed in `failing`). */
export function checkOnFact(id: string, fact: FactDefinition, options: { severity?: Severity; section?: SectionId; failing?: string[] } = {}): AnyCheck {
  return defineCheck({
    meta: meta(id, options.severity ?? 'critical', options.section ?? 'aws'),
    facts: { subject: fact },
    evaluate({ subject }) {
      const { names } = subject as { names: string[] };
      return names.map((name): Finding => (options.failing?.includes(name) ? { resource: name, status: 'fail', code: 'bad' } : { resource: name, status: 'pass', code: 'good' }));
    },
  });
}

/** A check that reads no fact and says exactly what it is given (for scoring and waivers). */
export function checkSaying(id: string, severity: Severity, findings: Finding[], options: { section?: SectionId; scored?: boolean } = {}): AnyCheck {
  return defineCheck({
    meta: { ...meta(id, severity, options.section ?? 'aws'), ...(options.scored === false ? { scored: false } : {}) },
    facts: {},
    evaluate: () => findings,
  });
}

export const pass = (resource = 'project'): Finding => ({ resource, status: 'pass', code: 'good' });
export const fail = (resource = 'project'): Finding => ({ resource, status: 'fail', code: 'bad' });
export const unverified = (resource = 'project'): Finding => ({ resource, status: 'unverified', code: 'unknown' });
export const notApplicable = (resource = 'project'): Finding => ({ resource, status: 'not_applicable', code: 'n-a' });

function meta(id: string, severity: Severity, section: SectionId): AnyCheck['meta'] {
  return {
    id,
    title: `${id} is fine`,
    failureTitle: `${id} is not fine`,
    description: 'test check',
    section,
    severity,
    layer: 'infrastructure',
    hipaa: [],
    phase: 1,
    remediation: { text: 'fix it', command: 'fix {{resource}}', effortMinutes: 5 },
    messages: { good: '{{resource}} is fine', bad: '{{resource}} is broken', unknown: '{{resource}} unknown', 'n-a': 'n/a' },
  };
}
