import type { Report, Result } from '../model.js';
import { reviewCommand } from '../command-review.js';
import { escapeControlCharacters } from '../engine/control-characters.js';
import { criticalPath, formatPathEffort, formatPhaseEffort, formatScore, isOpen, verdictLabel } from './shared.js';

/**
 * The fixes of a report as one reviewable bash script, in critical-path order: each command
 * preceded by the findings it fixes (as comments), commands that need a choice commented out
 * and flagged. Pure: report in, script out; the tool never runs it.
 */
export function renderFixPlan(report: Report): string {
  const lines = [
    '#!/usr/bin/env bash',
    `# readiness fix plan for ${comment(report.project)}: ${verdictLabel(report)} at ${formatScore(report.score)}, ${report.generatedAt}`,
    '# Review every step before running it: readiness never runs this script, and each command changes the environment.',
    '# Steps marked "EDIT FIRST" need a choice the tool cannot make (a <placeholder>): they are commented out until you edit them.',
    '# Steps marked "MANUAL" happen in a console or with a vendor: open the page and do them by hand.',
    ...(criticalPath(report).length ? [`# Effort: ${formatPathEffort(criticalPath(report))}.`] : []),
    'set -euo pipefail',
  ];
  const open = new Map<string, Result[]>();
  for (const result of report.results) {
    if (!isOpen(result) || !result.scored) continue;
    const list = open.get(result.checkId);
    if (list) list.push(result);
    else open.set(result.checkId, [result]);
  }
  let commands = 0;
  let edits = 0;
  let manual = 0;
  for (const phase of criticalPath(report)) {
    lines.push('', `# ━━ Phase ${phase.phase}: ${phase.title} (${formatPhaseEffort(phase)}) ━━`);
    for (const step of phase.steps) {
      const results = open.get(step.checkId) ?? [];
      const severity = results[0]?.severity ?? '';
      lines.push('', `# ── ${step.checkId} [${severity}${step.blocker ? ', blocker' : ''}]: ${comment(step.title)}`);
      const byCommand = new Map<string, Result[]>();
      const withoutCommand: Result[] = [];
      for (const result of results) {
        const command = result.remediation.command;
        if (!command) withoutCommand.push(result);
        else byCommand.set(command, [...(byCommand.get(command) ?? []), result]);
      }
      for (const [command, fixed] of byCommand) {
        for (const result of fixed) lines.push(`#   ${comment(result.resource)}: ${comment(result.message)}`);
        const review = reviewCommand(command);
        if (review.action === 'edit' && review.controlCharacter) {
          edits++;
          lines.push('# EDIT FIRST: the command holds a control character (a resource name with a line break?); write it by hand', `# ${comment(command)}`);
        } else if (review.action === 'manual') {
          manual++;
          lines.push(`# MANUAL: ${review.page}`);
        } else if (review.action === 'edit') {
          edits++;
          lines.push(`# EDIT FIRST: replace ${review.placeholders.join(', ')}, then uncomment:`, `# ${command}`);
        } else {
          commands++;
          lines.push(command);
        }
      }
      for (const result of withoutCommand) {
        lines.push(`#   ${comment(result.resource)}: ${comment(result.message)}`, `#   no command: ${comment(result.remediation.text)}`);
      }
    }
  }
  lines.push('', `# ${commands} command${commands === 1 ? '' : 's'} to run, ${edits} to edit first, ${manual} manual step${manual === 1 ? '' : 's'}.`, '');
  return lines.join('\n');
}

/** One comment line whatever the text holds: a line break in an environment's name must not start a command. */
function comment(text: string): string {
  return escapeControlCharacters(text);
}
