/**
 * Whether a fix command can be pasted as it is. Every format (and `readiness plan`) asks this one place:
 * a command holding a `<choice>` the tool cannot make must be edited first; a console page to open is a
 * step for a person.
 */
export type CommandReview =
  | { action: 'run' }
  | { action: 'edit'; placeholders: string[]; controlCharacter: boolean }
  | { action: 'manual'; page: string };

/** A `<choice>` the tool cannot make for the user, e.g. `<log-bucket>`. */
const PLACEHOLDER = /<[a-z][\w-]*>/gi;
/** A console page to open: a step for a person, not for a script. */
const MANUAL = /^open '?(https:\/\/[^'\s]+)'?$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const RUN: CommandReview = { action: 'run' };

/**
 * What every command that runs as shown lacks: a `<`, a control character, or `open ` at its start. Tested piece by
 * piece: a search for one character is cheaper than a class, and most commands are plain (60k at 10k resources, each
 * asked about by five formats).
 */
const needsReview = (command: string): boolean => command.includes('<') || command.startsWith('open ') || CONTROL.test(command);

/**
 * Every format asks about the same commands (a 10k-resource report has 60k of them, 17k with placeholders, each asked
 * about by five formats): one that needs more than a glance is reviewed once, and the same review (never to be
 * changed) is given to every caller. Past this many, a command is reviewed each time it is asked about rather than
 * remembered, so a long-lived process does not keep them all. Never emptied: at 100k resources (170k such commands)
 * emptying made each format review every command again and keep each review long enough to be copied to the old
 * generation, and the reports grew faster than the resources (BENCHMARKS.md).
 */
const MAX_REMEMBERED = 1_000_000;
type Reviewed = { review: CommandReview; note: string | undefined };
const reviewed = new Map<string, Reviewed>();
const PLAIN: Reviewed = { review: RUN, note: undefined };
/** Commands of one check share their review (the same `<placeholders>`): one object per distinct review, not per command. */
const distinct = new Map<string, Reviewed>();
const MAX_DISTINCT = 10_000;

export function reviewCommand(command: string): CommandReview {
  return remembered(command).review;
}

function remembered(command: string): Reviewed {
  // Most commands need a glance only: cheaper than looking them up.
  if (!needsReview(command)) return PLAIN;
  let entry = reviewed.get(command);
  if (entry === undefined) {
    const review = examine(command);
    const key = review.action === 'edit' ? `edit ${review.controlCharacter} ${review.placeholders.join(' ')}` : review.action === 'manual' ? `manual ${review.page}` : 'run';
    entry = distinct.get(key);
    if (entry === undefined) {
      entry = { review, note: noteOf(review) };
      if (distinct.size < MAX_DISTINCT) distinct.set(key, entry);
    }
    if (reviewed.size < MAX_REMEMBERED) reviewed.set(command, entry);
  }
  return entry;
}

function examine(command: string): CommandReview {
  // A line break from a name could start another command: such a command is written by hand, never run as shown.
  if (CONTROL.test(command)) return { action: 'edit', placeholders: placeholdersIn(command), controlCharacter: true };
  const page = MANUAL.exec(command)?.[1];
  if (page) return { action: 'manual', page };
  const placeholders = placeholdersIn(command);
  return placeholders.length ? { action: 'edit', placeholders, controlCharacter: false } : RUN;
}

/** The distinct `<placeholders>` of a command, in order. */
export function placeholdersIn(command: string): string[] {
  return [...new Set(command.match(PLACEHOLDER) ?? [])];
}

/** What a reader must do before running the command, in a line; undefined when it runs as shown. */
export function commandNote(command: string): string | undefined {
  return remembered(command).note;
}

function noteOf(review: CommandReview): string | undefined {
  if (review.action === 'manual') return `MANUAL: open ${review.page} and make the change there`;
  if (review.action === 'edit') {
    return review.controlCharacter
      ? 'EDIT FIRST: the command holds a control character (a name with a line break?); write it by hand'
      : `EDIT FIRST: replace ${review.placeholders.join(', ')}`;
  }
  return undefined;
}

/** Commands as shell lines, each that cannot run as shown preceded by a comment saying what to do first. */
export function commandLines(commands: readonly string[]): string[] {
  const lines: string[] = [];
  for (const command of commands) {
    const note = commandNote(command);
    if (note) lines.push(`# ${note}`);
    lines.push(command);
  }
  return lines;
}
