import type { z as Zod } from 'zod';

type AlreadyParsed = (value: unknown) => boolean;

type Def = {
  type: string;
  checks?: unknown[];
  format?: string;
  shape?: Record<string, Zod.ZodType>;
  catchall?: Zod.ZodType;
  element?: Zod.ZodType;
  innerType?: Zod.ZodType;
  keyType?: Zod.ZodType;
  valueType?: Zod.ZodType;
  entries?: Record<string, unknown>;
  values?: unknown[];
};

const predicates = new WeakMap<Zod.ZodType, AlreadyParsed>();
const NEVER: AlreadyParsed = () => false;

/**
 * A snapshot's facts were written by zod (each collected fact is parsed before it is recorded), so almost every value
 * read back already has its schema's exact shape. Parsing it again would copy it whole (at 10,000 resources, 45 MB
 * of objects made, and the parsed text's 45 MB left behind). This answers, without making anything, whether zod
 * would accept the value and give back an equal one with its keys in the same order: then the value is taken as it is.
 *
 * It knows the plain parts fact schemas are built of (strings, finite numbers, booleans, enums, literals, objects,
 * arrays, records with string keys, nullable, optional, unknown). Anything else (a check such as a pattern or a
 * minimum, a format, a default to fill, a transform, a union, a key zod would strip or reject) answers false, and the
 * value goes to zod, which decides and explains. So false never means invalid, and true only what zod would say.
 * test/snapshot/already-parsed.test.ts holds it to zod on every fact of the demo and thousands of broken values.
 */
export function isAlreadyParsed(schema: Zod.ZodType, value: unknown): boolean {
  return !prototypeHasKeys() && alreadyParsed(schema)(value);
}

/** The test of one schema, built once. */
function alreadyParsed(schema: Zod.ZodType): AlreadyParsed {
  let predicate = predicates.get(schema);
  if (!predicate) {
    // Set before it is built: a schema that holds itself (z.lazy is not among the known parts) cannot recurse here.
    predicates.set(schema, NEVER);
    predicate = build(defOf(schema));
    predicates.set(schema, predicate);
  }
  return predicate;
}

function build(def: Def): AlreadyParsed {
  if (def.format !== undefined) return NEVER;
  if (def.checks?.length) return def.type === 'array' ? withLengthChecks(def, build({ ...def, checks: [] })) : NEVER;
  switch (def.type) {
    case 'string':
      return (value) => typeof value === 'string';
    case 'number':
      return (value) => typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return (value) => typeof value === 'boolean';
    case 'unknown':
      return (value) => value !== undefined;
    case 'enum':
    case 'literal': {
      const allowed = new Set(def.type === 'enum' ? Object.values(def.entries ?? {}) : def.values);
      return (value) => allowed.has(value);
    }
    case 'nullable': {
      const inner = alreadyParsed(def.innerType!);
      return (value) => value === null || inner(value);
    }
    case 'optional':
    case 'default': {
      // A key that is there: its value as the inner schema has it (an absent key is the object's to judge).
      const inner = alreadyParsed(def.innerType!);
      return (value) => value !== undefined && inner(value);
    }
    case 'array': {
      const element = alreadyParsed(def.element!);
      return (value) => {
        if (!Array.isArray(value)) return false;
        for (let i = 0; i < value.length; i++) if (!element(value[i])) return false;
        return true;
      };
    }
    case 'record': {
      const keyDef = defOf(def.keyType!);
      if (keyDef.type !== 'string' || keyDef.checks?.length || keyDef.format !== undefined) return NEVER;
      const item = alreadyParsed(def.valueType!);
      return (value) => {
        if (!isPlainObject(value)) return false;
        for (const key in value) if (key === '__proto__' || !item(value[key])) return false;
        return true;
      };
    }
    case 'object':
      return objectPredicate(def);
    default:
      return NEVER;
  }
}

/** A list's length checks (`.min(1)`), the only checks known here; any other: false. */
function withLengthChecks(def: Def, items: AlreadyParsed): AlreadyParsed {
  const bounds = def.checks!.map((check) => (check as { _zod: { def: { check: string; minimum?: number; maximum?: number } } })._zod.def);
  if (!bounds.every((bound) => bound.check === 'min_length' || bound.check === 'max_length')) return NEVER;
  const minimum = Math.max(0, ...bounds.map((bound) => bound.minimum ?? 0));
  const maximum = Math.min(Infinity, ...bounds.map((bound) => bound.maximum ?? Infinity));
  return (value) => items(value) && (value as unknown[]).length >= minimum && (value as unknown[]).length <= maximum;
}

function defOf(schema: Zod.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/**
 * An object: its keys are the shape's, in the shape's order (zod writes them so), each value as its schema has it;
 * a key may be left out only where the schema's key is optional (zod then leaves it out too). A key the shape lacks
 * (zod would strip or refuse it) or a key out of order: false.
 */
function objectPredicate(def: Def): AlreadyParsed {
  if (def.catchall) return NEVER;
  const shape = def.shape ?? {};
  const keys = Object.keys(shape);
  const values = keys.map((key) => alreadyParsed(shape[key]!));
  const omittable = keys.map((key) => {
    const { optin, optout } = (shape[key] as unknown as { _zod: { optin?: string; optout?: string } })._zod;
    return optin === 'optional' && optout === 'optional';
  });
  return (value) => {
    if (!isPlainObject(value)) return false;
    let at = 0;
    for (const key in value) {
      while (at < keys.length && keys[at] !== key) {
        if (!omittable[at]) return false;
        at++;
      }
      if (at === keys.length || !values[at]!(value[key])) return false;
      at++;
    }
    for (; at < keys.length; at++) if (!omittable[at]) return false;
    return true;
  };
}

/** An object made by JSON.parse (or an object literal): for…in lists its own keys (see prototypeHasKeys). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** A key added to Object.prototype would be listed by for…in as every object's: then nothing is taken as parsed. */
function prototypeHasKeys(): boolean {
  for (const _ in Object.prototype) return true;
  return false;
}
