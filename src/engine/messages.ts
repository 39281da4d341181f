import type { MessageArgs } from '../model.js';

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
interface CompiledTemplate {
  texts: string[];
  names: string[];
  written: string[];
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
  return { texts, names, written };
}

/**
 * Each `{{name}}` filled from `args`; a name `args` lacks stays as written. `resource`, when given, fills
 * `{{resource}}` in place of `args.resource` (a command's shell-quoted name) without a copy of `args` per result;
 * `shellWord`, when given, makes `{{region}}` one shell word (a command's region comes from facts a snapshot carries).
 */
export function renderTemplate(template: string, args: MessageArgs = {}, resource?: string, shellWord?: (value: string) => string): string {
  if (!template.includes('{{')) return template;
  let parts = compiled.get(template);
  if (!parts) {
    parts = compile(template);
    if (compiled.size < MAX_COMPILED) compiled.set(template, parts);
  }
  const { texts, names, written } = parts;
  let text = texts[0]!;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const value =
      resource !== undefined && name === 'resource' ? resource : name in args ? (shellWord && name === 'region' ? shellWord(String(args[name])) : String(args[name])) : written[i]!;
    text += value + texts[i + 1]!;
  }
  return text;
}
