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

export function renderTemplate(template: string, args: MessageArgs = {}): string {
  if (!template.includes('{{')) return template;
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (match, name: string) => (name in args ? String(args[name]) : match));
}
