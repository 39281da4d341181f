import { closest, distance } from 'fastest-levenshtein';

/** ` — did you mean "x"?` when a known name is close, else the known names; '' when there are none. */
export function didYouMean(name: string, known: readonly string[], label = 'known'): string {
  if (known.length === 0) return '';
  const suggestion = closest(name, known as string[]);
  return similar(name, suggestion) ? ` — did you mean "${suggestion}"?` : ` (${label}: ${known.join(', ')})`;
}

function similar(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase() || distance(a, b) <= Math.max(2, Math.floor(b.length / 3));
}
