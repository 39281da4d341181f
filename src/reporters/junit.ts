import type { Report, Result } from '../model.js';
import { commandNote } from '../command-review.js';
import { resultsBySection, scopeNotes } from './shared.js';

/** JUnit XML for CI test tabs: a suite per section, a case per check and resource. */
export function junitReporter(report: Report): string {
  return [...junitChunks(report)].join('');
}

/** `junitReporter`'s text, a test case at a time. */
export function* junitChunks(report: Report): Generator<string> {
  const failures = report.results.filter(isFailure).length;
  yield `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="readiness ${esc(report.project)}: ${report.verdict} ${report.score}%" tests="${report.results.length}" failures="${failures}" time="0">
${scopeProperties(report)}`;
  let first = true;
  for (const [section, results] of resultsBySection(report)) {
    const failures = results.filter(isFailure).length;
    const skipped = results.filter((r) => r.status === 'not_applicable' || r.status === 'waived').length;
    yield `${first ? '' : '\n'}  <testsuite name="${esc(section)}" tests="${results.length}" failures="${failures}" errors="0" skipped="${skipped}" time="0" timestamp="${esc(report.generatedAt)}">`;
    first = false;
    for (const r of results) yield `\n${testcase(r)}`;
    yield '\n  </testsuite>';
  }
  yield `
</testsuites>
`;
}

/** The run's scope, as properties of the first suite's level (CI test tabs show skipped cases; this says why). */
function scopeProperties(report: Report): string {
  const notes = scopeNotes(report);
  if (!notes.length) return '';
  return `  <properties>\n${notes.map((note) => `    <property name="scope" value="${esc(note)}"/>`).join('\n')}\n  </properties>\n`;
}

/** An open scored result fails its case; an unscored one (info.*) only informs, whatever its status. */
const isFailure = (r: Result): boolean => r.scored && (r.status === 'fail' || r.status === 'unverified');

// A check reads facts already collected: its case takes no time of its own, and test-report actions need the attribute.
function testcase(r: Result): string {
  const open = `    <testcase classname="${esc(r.checkId)}" name="${esc(r.resource)}" time="0">`;
  if (isFailure(r)) {
    const command = r.remediation.command;
    const note = command && commandNote(command);
    const body = `${r.message}\n${r.remediation.text}${note ? `\n${note}` : ''}${command ? `\n$ ${command}` : ''}`;
    return `${open}<failure type="${r.status}" message="${esc(`[${r.severity}] ${r.status === 'unverified' ? 'unverified: ' : ''}${r.message}`)}">${esc(body)}</failure></testcase>`;
  }
  if (r.status === 'waived') {
    const waiver = r.waiver ? `waived: ${r.waiver.reason} (approved by ${r.waiver.approvedBy}, until ${r.waiver.expires})` : 'waived';
    return `${open}<skipped message="${esc(waiver)}"/></testcase>`;
  }
  if (r.status === 'not_applicable') return `${open}<skipped message="${esc(`not applicable: ${r.message}`)}"/></testcase>`;
  if (!r.scored && r.status !== 'pass') return `${open}<system-out>${esc(`informational, not scored (${r.status}): ${r.message}`)}</system-out></testcase>`;
  return `${open}</testcase>`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
