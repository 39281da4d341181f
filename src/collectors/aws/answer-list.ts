import { FactError } from '../types.js';

/**
 * The list an AWS answer must carry. An answer without it is malformed, never "there are none":
 * the fact becomes unverified. A well-formed empty list is returned as is.
 */
export function answerList<T>(list: T[] | undefined | null, field: string, permission: string): T[] {
  if (!Array.isArray(list)) throw new FactError('MalformedResponse', `${permission}: the answer has no ${field} list`, 'run again; if it persists, report the endpoint');
  return list;
}
