import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allChecks } from '../../checks/index.js';
import * as builtinFactModules from '../../src/facts/index.js';
import { defineFact, factOf, type FactDefinition, type FactRef } from '../../src/model.js';

const exported = (Object.values(builtinFactModules) as unknown[]).filter((value): value is FactDefinition => typeof value === 'object' && value !== null && 'id' in value && 'permissions' in value);
const read = allChecks.flatMap((check) => Object.values(check.facts as Record<string, FactRef>).map(factOf));
const builtinFacts = [...new Set([...exported, ...read])];

// Start-up: loading the facts (every check imports some) builds none of their schemas; each is made on first use.
describe("the built-in facts' schemas", () => {
  it('are made on first use, not when the facts load', () => {
    expect(builtinFacts.length).toBeGreaterThan(50);
    const eager = builtinFacts.filter((fact) => typeof Object.getOwnPropertyDescriptor(fact, 'schema')?.get !== 'function').map((fact) => fact.id);
    expect(eager).toEqual([]);
  });

  it('are made once: every use gets the same schema', () => {
    for (const fact of builtinFacts) expect(fact.schema, fact.id).toBe(fact.schema);
  });
});

describe('defineFact', () => {
  it('takes a schema as is (a plugin passes one)', () => {
    const schema = z.array(z.string());
    const fact = defineFact({ id: 'acme.names', description: 'd', permissions: [], schema });
    expect(fact.schema).toBe(schema);
  });

  it('makes a schema given as a function only when it is first read', () => {
    let made = 0;
    const fact = defineFact({ id: 'acme.names', description: 'd', permissions: [], schema: () => (made++, z.array(z.string())) });
    expect(made).toBe(0);
    expect(fact.schema.parse(['a'])).toEqual(['a']);
    expect(fact.schema).toBe(fact.schema);
    expect(made).toBe(1);
  });
});
