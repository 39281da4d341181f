/** A value made on first use and then kept: what a run may never need (a schema) is not built at start-up. */
export function lazily<T extends object>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}
