/**
 * The JSON path subset declarative checks use (no JSON path library is installed, and this much is
 * all an assertion over an AWS or HTTP answer needs): `$` followed by
 *   `.name` or `['name']`  a member (names with dots, spaces or dashes go in brackets),
 *   `[n]`                  the n-th element of a list,
 *   `[*]`                  every element of a list.
 * No filters, slices, recursive descent or scripts: a path is data, never code.
 */
export type PathStep = { kind: 'member'; name: string } | { kind: 'index'; index: number } | { kind: 'each' };

export class JsonPathError extends Error {}

/** Parses a path, or throws JsonPathError saying where it goes wrong. */
export function parseJsonPath(path: string): PathStep[] {
  if (!path.startsWith('$')) throw new JsonPathError('a JSON path starts with `$`');
  const steps: PathStep[] = [];
  let i = 1;
  while (i < path.length) {
    const rest = path.slice(i);
    const member = /^\.([A-Za-z_$][\w$-]*)/.exec(rest);
    const quoted = /^\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/.exec(rest);
    const index = /^\[(\d+)\]/.exec(rest);
    const each = /^\[\*\]/.exec(rest);
    if (member) steps.push({ kind: 'member', name: member[1]! });
    else if (quoted) steps.push({ kind: 'member', name: (quoted[1] ?? quoted[2]!).replace(/\\(.)/g, '$1') });
    else if (index) steps.push({ kind: 'index', index: Number(index[1]) });
    else if (each) steps.push({ kind: 'each' });
    else throw new JsonPathError(`unexpected "${rest.slice(0, 12)}" at position ${i} (supported: .name, ['name'], [n], [*])`);
    i += (member ?? quoted ?? index ?? each)![0].length;
  }
  return steps;
}

/** Whether a path is in the subset (for the config schema). */
export function isJsonPath(path: string): boolean {
  try {
    parseJsonPath(path);
    return true;
  } catch {
    return false;
  }
}

/** The path a step list was written as (for messages). */
function written(steps: PathStep[]): string {
  return `$${steps.map((step) => (step.kind === 'member' ? (/^[A-Za-z_$][\w$-]*$/.test(step.name) ? `.${step.name}` : `['${step.name.replace(/'/g, "\\'")}']`) : step.kind === 'index' ? `[${step.index}]` : '[*]')).join('')}`;
}

/**
 * The values a path selects. Lenient: a member or element that is absent selects nothing
 * (an element without tags has no tag keys). Use `selectStrict` where absence must not read as "none".
 */
export function select(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root];
  for (const step of parseJsonPath(path)) {
    const next: unknown[] = [];
    for (const node of current) {
      if (step.kind === 'each') {
        if (Array.isArray(node)) next.push(...node);
      } else if (step.kind === 'index') {
        if (Array.isArray(node) && step.index < node.length) next.push(node[step.index]);
      } else if (isRecord(node) && Object.hasOwn(node, step.name) && node[step.name] !== undefined) {
        next.push(node[step.name]);
      }
    }
    current = next;
  }
  return current;
}

/**
 * The values a path selects, where every step must be there: a member that is absent, or `[*]` over
 * something that is not a list, throws JsonPathError naming the step. An answer without the list
 * the path names is malformed, never an empty list.
 */
export function selectStrict(root: unknown, path: string): unknown[] {
  const steps = parseJsonPath(path);
  let current: unknown[] = [root];
  steps.forEach((step, position) => {
    const at = written(steps.slice(0, position + 1));
    const next: unknown[] = [];
    for (const node of current) {
      if (step.kind === 'each') {
        if (!Array.isArray(node)) throw new JsonPathError(`${written(steps.slice(0, position))} is not a list`);
        next.push(...node);
      } else if (step.kind === 'index') {
        if (!Array.isArray(node) || step.index >= node.length) throw new JsonPathError(`${at} is absent`);
        next.push(node[step.index]);
      } else {
        if (!isRecord(node) || !Object.hasOwn(node, step.name) || node[step.name] === undefined || node[step.name] === null) throw new JsonPathError(`${at} is absent`);
        next.push(node[step.name]);
      }
    }
    current = next;
  });
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
