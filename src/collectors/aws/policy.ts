import { s3BucketPolicies } from '../../facts/aws.js';
import type { FactValue } from '../../model.js';
import { FactError } from '../types.js';

type Statement = NonNullable<FactValue<typeof s3BucketPolicies>[number]['statements']>[number];

/** Normalises an IAM policy document (a bucket's, a key's): every field that may be a string or a list becomes a list. */
export function parsePolicy(text: string, owner: string): Statement[] {
  let document: { Statement?: unknown };
  try {
    document = JSON.parse(text) as { Statement?: unknown };
  } catch {
    throw new FactError('MalformedResponse', `the policy of ${owner} is not valid JSON`);
  }
  const raw = document.Statement === undefined ? [] : Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  return raw.map((entry) => {
    const statement = entry as Record<string, unknown>;
    const conditions: Statement['conditions'] = {};
    for (const [operator, keys] of Object.entries((statement.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
      conditions[operator] = Object.fromEntries(Object.entries(keys).map(([key, value]) => [key, list(value).map(String)]));
    }
    return {
      sid: typeof statement.Sid === 'string' ? statement.Sid : null,
      effect: String(statement.Effect ?? ''),
      principals: principals(statement.Principal),
      actions: list(statement.Action).map(String),
      notActions: list(statement.NotAction).map(String),
      resources: list(statement.Resource).map(String),
      conditions,
    };
  });
}

function principals(principal: unknown): string[] {
  if (principal === undefined) return [];
  if (principal === '*') return ['*'];
  if (typeof principal === 'string') return [principal];
  return Object.values(principal as Record<string, unknown>).flatMap((value) => list(value).map(String));
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
