import type { MessageArgs } from '../model.js';
import { hasControlCharacters } from './control-characters.js';

/** Codes the engine itself gives, for checks it could not evaluate. */
export const ENGINE_MESSAGES: Record<string, string> = {
  'not-assessed': 'Not assessed: {{reason}}',
  'declared-unused': 'Declared unused ({{service}}): {{reason}}',
  'turned-off': 'Turned off in the config: {{reason}}',
  'fact-unavailable': 'Could not verify: {{fact}} — {{reason}}',
  'check-error': 'The check failed to evaluate: {{reason}}',
  'plugin-error': 'The check from {{source}} failed to evaluate: {{reason}}',
  'no-findings': 'The check produced no result',
};

const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

/** A template split once at its placeholders: the text before each, the name, and the placeholder as written. */
export interface CompiledTemplate {
  texts: string[];
  names: string[];
  written: string[];
  /** Whether the text between the placeholders holds a control character. */
  control: boolean;
  /** Whether each placeholder as written does (`{{ name\t}}`): it is in the text only when its name is not filled. */
  writtenControl: boolean[];
}

/** Templates are the checks' own messages and commands: a few hundred, each rendered once per result (tens of thousands). */
const compiled = new Map<string, CompiledTemplate>();
/** A bound in case a check's codes are not a fixed set: past it, a template is split on each use. */
const MAX_COMPILED = 10_000;

function compile(template: string): CompiledTemplate {
  const texts: string[] = [];
  const names: string[] = [];
  const written: string[] = [];
  let end = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    texts.push(template.slice(end, match.index));
    names.push(match[1]!);
    written.push(match[0]);
    end = match.index + match[0].length;
  }
  texts.push(template.slice(end));
  return { texts, names, written, control: texts.some(hasControlCharacters), writtenControl: written.map(hasControlCharacters) };
}

/** A template split at its placeholders, once per template. */
export function compiledTemplate(template: string): CompiledTemplate {
  let parts = compiled.get(template);
  if (!parts) {
    parts = compile(template);
    if (compiled.size < MAX_COMPILED) compiled.set(template, parts);
  }
  return parts;
}

/**
 * Each `{{name}}` filled from `args`; a name `args` lacks stays as written. `resource`, when given, fills
 * `{{resource}}` in place of `args.resource` (a command's shell-quoted name) without a copy of `args` per result.
 */
export function renderTemplate(template: string, args: MessageArgs = {}, resource?: string): string {
  if (!template.includes('{{')) return template;
  const { texts, names, written } = compiledTemplate(template);
  let text = texts[0]!;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const value = resource !== undefined && name === 'resource' ? resource : name in args ? String(args[name]) : written[i]!;
    text += value + texts[i + 1]!;
  }
  return text;
}

/**
 * A finding's text: what `renderTemplate(template, { resource, ...args })` gives, without that copy of the args per
 * result. `{{resource}}` is `resource` unless the args name their own; `quoted`, when given, fills it in their place
 * (a command's shell-quoted name). `filled.control` then says whether the text holds a control character, known
 * from its pieces (`resourceControl`: the resource's, tested once per result) rather than from a scan of the text.
 */
export function renderFinding(template: CompiledTemplate, resource: string, resourceControl: boolean, args: MessageArgs | undefined, quoted?: string): string {
  const { texts, names, written, writtenControl } = template;
  // `in` on a plain object looks where it looks on a copy of it (Object.prototype's names included); on any other,
  // the copy the engine always made is made.
  const own: MessageArgs = args === undefined ? NO_ARGS : Object.getPrototypeOf(args) === Object.prototype ? args : { ...args };
  let control = template.control;
  let text = texts[0]!;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    let value: string;
    if (name === 'resource' && (quoted !== undefined || !('resource' in own))) {
      value = quoted ?? resource;
      control ||= resourceControl;
    } else if (name in own) {
      value = String(own[name]);
      control ||= hasControlCharacters(value);
    } else {
      value = written[i]!;
      control ||= writtenControl[i]!;
    }
    text += value + texts[i + 1]!;
  }
  filled.control = control;
  return text;
}

const NO_ARGS: MessageArgs = Object.freeze({});

/** What `renderFinding` found of the text it returned last (a result per finding would be one more object each). */
export const filled = { control: false };
