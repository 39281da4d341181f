import { InvalidArgumentError } from './commander.js';
import { SEVERITIES, type Severity } from './model.js';

// Strict parsers for command-line values. A value that JavaScript would coerce (`Number('')` is 0,
// `new Date('2025-02-30')` is 2 March) is refused instead: an empty `--fail-under "$UNSET"` must not
// turn the gate off, and a typo must not move the clock.

/** The longest --timeout: a day (Node's timers overflow at 2^31 ms, about 24.8 days). */
export const MAX_TIMEOUT_SECONDS = 86_400;
const DECIMAL = /^\d+(\.\d+)?$/;
const NAMES_FROM_PROTOTYPES = new Set(['__proto__', 'constructor', 'prototype']);

/** A comma-separated list of ids: at least one, none empty, none an object-prototype name. */
export function idList(value: string): string[] {
  const items = value.split(',').map((item) => item.trim());
  if (items.length === 0 || items.some((item) => item === '')) throw new InvalidArgumentError('expected a comma-separated list of ids, none empty');
  const reserved = items.find((item) => NAMES_FROM_PROTOTYPES.has(item));
  if (reserved) throw new InvalidArgumentError(`"${reserved}" is not an id`);
  return items;
}

/** Report formats, comma-separated; each is checked against the reporters by the command. */
export function formatList(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter(Boolean);
}

/** A plain decimal number of seconds, above 0 and at most a day: no `1e3`, `0x10`, blank or `Infinity`. */
export function seconds(value: string): number {
  const trimmed = value.trim();
  const n = Number(trimmed);
  if (!DECIMAL.test(trimmed) || n <= 0 || n > MAX_TIMEOUT_SECONDS) throw new InvalidArgumentError(`expected a positive number of seconds, at most ${MAX_TIMEOUT_SECONDS}`);
  return n;
}

/** A score from 0 to 100, written as a plain decimal number. */
export function percent(value: string): number {
  const trimmed = value.trim();
  const n = Number(trimmed);
  if (!DECIMAL.test(trimmed) || n > 100) throw new InvalidArgumentError('expected a score from 0 to 100');
  return n;
}

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** A calendar date (`2025-10-11`, midnight UTC) or a date-time with its zone (`2025-10-11T22:30:00Z`); no 30 February. */
export function isoTime(value: string): Date {
  const match = ISO_TIME.exec(value.trim());
  const fail = () => new InvalidArgumentError('expected an ISO time, e.g. 2025-10-11T22:30:00Z');
  if (!match) throw fail();
  const [, year, month, day, hour = '0', minute = '0', second = '0', zone] = match;
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const sameDay = calendar.getUTCFullYear() === Number(year) && calendar.getUTCMonth() === Number(month) - 1 && calendar.getUTCDate() === Number(day);
  const zoneValid = !zone || zone === 'Z' || (Number(zone.slice(1, 3)) <= 23 && Number(zone.slice(4, 6)) <= 59);
  if (!sameDay || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59 || !zoneValid) throw fail();
  const date = new Date(match[4] === undefined ? `${match[1]}-${match[2]}-${match[3]}T00:00:00Z` : value.trim());
  if (Number.isNaN(date.getTime())) throw fail();
  return date;
}

export function severity(value: string): Severity {
  if (!(SEVERITIES as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${SEVERITIES.join(', ')}`);
  return value as Severity;
}

/** A file or folder name: not empty or blank (an empty `--out "$DIR"` would mean the current folder). */
export function path(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('expected a path, not an empty value');
  if (value.includes('\0')) throw new InvalidArgumentError('a path cannot contain a NUL character');
  return value;
}
