/** IAM resource matching: `*` any run of characters, `?` one character (no RegExp built per bucket and pattern). */
export function matchesArnPattern(pattern: string, arn: string): boolean {
  let p = 0;
  let a = 0;
  let star = -1;
  let resume = 0;
  while (a < arn.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === arn[a])) {
      p++;
      a++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = a;
    } else if (star >= 0) {
      p = star + 1;
      a = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
