/**
 * Characters that let a name from the environment forge output: line breaks and carriage
 * returns (a fake line in the terminal, a `::error::` in GitHub), escape sequences (terminal
 * colours, cursor moves), characters XML 1.0 forbids (C0 controls, U+FFFE, U+FFFF: one in a
 * name would leave the JUnit report unreadable), and bidirectional overrides and marks.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]/gu;
// The same class, tested without /g (no lastIndex to carry between calls) and without /u (all of it is in the BMP): the
// test that lets almost every name through untouched, 67,000 results at 10,000 resources.
// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]/;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export const hasControlCharacters = (text: string): boolean => ANY_CONTROL.test(text);

/** Each control character written visibly: `\n`, `\x1b`, `\u202e`. */
export function escapeControlCharacters(text: string): string {
  if (!ANY_CONTROL.test(text)) return text;
  return text.replace(CONTROL, (char) => {
    const code = char.codePointAt(0)!;
    return NAMED[char] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}
