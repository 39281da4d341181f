import { createRequire } from 'node:module';
import { lazily } from '../lazily.js';

/**
 * The library, loaded when a name is unknown (a valid config has none). It is CommonJS: importing it as an ES module
 * starts Node's CommonJS export scan on every run, 2 ms of `check --demo`; required here, only an error pays.
 */
const levenshtein = lazily((): typeof import('fastest-levenshtein') => createRequire(import.meta.url)('fastest-levenshtein'));

/** ` — did you mean "x"?` when a known name is close, else the known names; '' when there are none. */
export function didYouMean(name: string, known: readonly string[], label = 'known'): string {
  if (known.length === 0) return '';
  const suggestion = levenshtein().closest(name, known as string[]);
  return similar(name, suggestion) ? ` — did you mean "${suggestion}"?` : ` (${label}: ${known.join(', ')})`;
}

function similar(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase() || levenshtein().distance(a, b) <= Math.max(2, Math.floor(b.length / 3));
}
