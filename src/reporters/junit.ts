import type { Report, Result } from '../model.js';
import { resultsBySection, scopeNotes } from './shared.js';

/** JUnit XML for CI test tabs: a suite per section, a case per check and resource. */
export function junitReporter(report: Report): string {
  return [...junitChunks(report)].join('');
}

/** `junitReporter`'s text, a test case at a time. */
export function* junitChunks(report: Report): Generator<string> {
  const failures = report.results.filter((r) => r.status === 'fail' || r.status === 'unverified').length;
  yield `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="readiness ${esc(report.project)}: ${report.verdict} ${report.score}%" tests="${report.results.length}" failures="${failures}">
${scopeProperties(report)}`;
  let first = true;
  for (const [section, results] of resultsBySection(report)) {
    const failures = results.filter((r) => r.status === 'fail' || r.status === 'unverified').length;
    const skipped = results.filter((r) => r.status === 'not_applicable' || r.status === 'waived').length;
    yield `${first ? '' : '\n'}  <testsuite name="${esc(section)}" tests="${results.length}" failures="${failures}" errors="0" skipped="${skipped}" timestamp="${esc(report.generatedAt)}">`;
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

function testcase(r: Result): string {
  const open = `    <testcase classname="${esc(r.checkId)}" name="${esc(r.resource)}">`;
  if (r.status === 'fail' || r.status === 'unverified') {
    const body = `${r.message}\n${r.remediation.text}${r.remediation.command ? `\n$ ${r.remediation.command}` : ''}`;
    return `${open}<failure type="${r.status}" message="${esc(`[${r.severity}] ${r.message}`)}">${esc(body)}</failure></testcase>`;
  }
  if (r.status === 'not_applicable' || r.status === 'waived') return `${open}<skipped message="${esc(r.status === 'waived' ? `waived: ${r.waiver?.reason ?? ''}` : r.message)}"/></testcase>`;
  return `${open}</testcase>`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
