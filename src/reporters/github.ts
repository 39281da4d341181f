import type { Report } from '../model.js';
import { isOpen, scopeNotes } from './shared.js';

/** GitHub Actions workflow commands: an annotation per open finding (error for blockers, warning otherwise). */
export function githubReporter(report: Report): string {
  const blockers = new Set(report.blockers);
  const lines = report.results
    .filter((r) => isOpen(r) && r.scored)
    .map((r) => {
      const level = blockers.has(r) ? 'error' : 'warning';
      const title = escapeProperty(`${r.checkId} (${r.severity})`);
      const message = escapeData(`${r.resource}: ${r.message}${r.status === 'unverified' ? ' (unverified)' : ''}${r.remediation.command ? `\nFix: ${r.remediation.command}` : ''}`);
      return `::${level} file=readiness.config.yaml,title=${title}::${message}`;
    });
  for (const note of scopeNotes(report)) lines.push(`::notice title=readiness scope::${escapeData(note)}`);
  lines.push(`::notice title=readiness::${escapeData(`${report.verdict === 'READY' ? 'READY' : 'NOT READY'} ${report.score}% (gate ${report.gate.minScore}%)`)}`);
  return `${lines.join('\n')}\n`;
}

// https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
