/**
 * A word for a POSIX shell command line: as is when it is plainly safe, else single-quoted. A word that starts with
 * `=` is quoted too: zsh (macOS's shell) expands `=name` to the path of the command `name`.
 */
export function shellQuote(word: string): string {
  return /^(?!=)[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
