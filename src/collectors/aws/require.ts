import { FactError, type CollectContext } from '../types.js';
import { MALFORMED_FIX } from './errors.js';

/** AWS checks are assessed only when the config has an `aws` section. */
export function requireAws(context: CollectContext): void {
  if (!context.config.aws) throw new FactError('NotConfigured', 'no `aws` section in the config');
}

/**
 * The list an answer must carry. The SDK reads an empty body, an HTML page or a bare root element
 * as `{}`, but a well-formed empty list as `[]`: an answer without its list is malformed, never "none".
 */
export function requireList<A extends object, K extends keyof A>(answer: A, key: K, operation: string): NonNullable<A[K]> {
  return requireArray(answer[key] as unknown[] | undefined, String(key), operation) as NonNullable<A[K]>;
}

/** `requireList` for a list reached some other way (nested in the answer, or named for the message). */
export function requireArray<T>(list: T[] | undefined | null, what: string, operation: string): T[] {
  if (!Array.isArray(list)) throw new FactError('MalformedResponse', `${operation} answered without its ${what} list`, MALFORMED_FIX);
  return list;
}

/** A member every well-formed answer of `operation` has: absent, the answer says nothing. */
export function requireField<A extends object, K extends keyof A>(answer: A, key: K, operation: string): NonNullable<A[K]> {
  const value = answer[key];
  if (value === undefined || value === null) throw new FactError('MalformedResponse', `${operation} answered without ${String(key)}`, MALFORMED_FIX);
  return value as NonNullable<A[K]>;
}
