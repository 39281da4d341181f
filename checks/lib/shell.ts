/** A value quoted for a POSIX shell, left bare when it has nothing the shell would read. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_./:@=+,%-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
