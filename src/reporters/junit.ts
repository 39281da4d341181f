import type { Report, Result } from '../model.js';
import { commandNote } from '../command-review.js';
import { accountRows, formatScore, gateRole, resultsBySection, scopeNotes, verdictLabel } from './shared.js';

/**
 * JUnit XML for CI test tabs: a suite per section, a case per check and resource, and a `gate` case. Failures are
 * what failed the gate (blockers; every open finding when the score is under the gate): a READY run has none.
 */
export function junitReporter(report: Report): string {
  return [...junitChunks(report)].join('');
}

/** `junitReporter`'s text, a test case at a time. */
export function* junitChunks(report: Report): Generator<string> {
  const failed = report.results.filter((r) => failsGate(report, r));
  const failing = new Set(failed);
  const gateFails = report.verdict === 'NOT_READY';
  const failures = failed.length + Number(gateFails);
  yield `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="readiness ${esc(report.project)}: ${esc(verdictLabel(report))} ${report.score}%" tests="${report.results.length + 1}" failures="${failures}" time="0">
${scopeProperties(report)}`;
  yield `  <testsuite name="gate" tests="1" failures="${Number(gateFails)}" errors="0" skipped="0" time="0" timestamp="${esc(report.generatedAt)}">\n${gateCase(report)}\n  </testsuite>`;
  const testcase = testcases(report);
  for (const [section, results] of resultsBySection(report)) {
    let failures = 0;
    let skipped = 0;
    for (const r of results) {
      if (failing.has(r)) failures++;
      if (r.status === 'not_applicable' || r.status === 'waived') skipped++;
    }
    yield `\n  <testsuite name="${esc(section)}" tests="${results.length}" failures="${failures}" errors="0" skipped="${skipped}" time="0" timestamp="${esc(report.generatedAt)}">`;
    for (const r of results) yield testcase(r, failing.has(r));
    yield '\n  </testsuite>';
  }
  yield `
</testsuites>
`;
}

/** The run's scope, as properties of the first suite's level (CI test tabs show skipped cases; this says why). */
function scopeProperties(report: Report): string {
  const properties = [
    ...scopeNotes(report).map((note) => `    <property name="scope" value="${esc(note)}"/>`),
    ...accountRows(report).map((a) => `    <property name="account" value="${esc(`${a.label}: ${a.score} (${a.band}); ${a.sections}`)}"/>`),
  ];
  if (!properties.length) return '';
  return `  <properties>\n${properties.join('\n')}\n  </properties>\n`;
}

/** A result fails its case when it failed the gate; an unscored one (info.*) only informs, whatever its status. */
const failsGate = (report: Report, r: Result): boolean => {
  const role = gateRole(report, r);
  return role === 'blocker' || role === 'score';
};

/** The verdict as a case of its own: it fails with the gate's reasons when the run is NOT READY. */
function gateCase(report: Report): string {
  const open = `    <testcase classname="readiness.gate" name="${esc(`score ≥ ${report.gate.minScore}% and no open ${report.gate.failOn}-or-worse finding`)}" time="0">`;
  if (report.verdict === 'READY') return `${open}<system-out>${esc(`${verdictLabel(report)} ${formatScore(report.score)}`)}</system-out></testcase>`;
  const reasons = [
    ...(report.score < report.gate.minScore ? [`score ${formatScore(report.score)} is under ${report.gate.minScore}%`] : []),
    ...(report.blockers.length ? [`${report.blockers.length} open ${report.gate.failOn}-or-worse ${report.blockers.length === 1 ? 'finding' : 'findings'}`] : []),
  ];
  const message = `${verdictLabel(report)} ${formatScore(report.score)}: ${reasons.join('; ') || report.exitReason.cause || 'nothing was evaluated'}`;
  return `${open}<failure type="gate" message="${esc(message)}">${esc(message)}</failure></testcase>`;
}

/**
 * A result's case, on a line of its own. A report has a case per result (about 100,000 at 10k resources): what the
 * cases of a check share (the start of the line, its remediation text) and of the run (the gate's words) is escaped
 * once, and the rest is escaped piece by piece (escaping is per character) rather than once more as a whole.
 */
function testcases(report: Report): (r: Result, failure: boolean) => string {
  const escaped = new Map<string, string>();
  const escOnce = (text: string) => {
    let value = escaped.get(text);
    if (value === undefined) escaped.set(text, (value = esc(text)));
    return value;
  };
  // A check reads facts already collected: its case takes no time of its own, and test-report actions need the attribute.
  const heads = new Map<string, string>();
  const head = (checkId: string) => {
    let text = heads.get(checkId);
    if (text === undefined) heads.set(checkId, (text = `\n    <testcase classname="${esc(checkId)}" name="`));
    return text;
  };
  const belowGate = esc(`), below the gate (fail-on ${report.gate.failOn}, score ${formatScore(report.score)} ≥ ${report.gate.minScore}%): `);
  return (r, failure) => {
    const open = `${head(r.checkId)}${esc(r.resource)}" time="0">`;
    if (failure) {
      const command = r.remediation.command;
      const note = command && commandNote(command);
      // The message once for both places.
      const message = esc(r.message);
      const body = `${message}\n${escOnce(r.remediation.text)}${note ? `\n${escOnce(note)}` : ''}${command ? `\n$ ${esc(command)}` : ''}`;
      return `${open}<failure type="${r.status}" message="[${escOnce(r.severity)}] ${r.status === 'unverified' ? 'unverified: ' : ''}${message}">${body}</failure></testcase>`;
    }
    if (r.status === 'waived') {
      const waiver = r.waiver ? `waived: ${r.waiver.reason} (approved by ${r.waiver.approvedBy}, until ${r.waiver.expires})` : 'waived';
      return `${open}<skipped message="${esc(waiver)}"/></testcase>`;
    }
    if (r.status === 'not_applicable') return `${open}<skipped message="not applicable: ${esc(r.message)}"/></testcase>`;
    if (r.scored && (r.status === 'fail' || r.status === 'unverified')) {
      return `${open}<system-out>open (${esc(r.status)}, ${escOnce(r.severity)}${belowGate}${esc(r.message)}</system-out></testcase>`;
    }
    if (!r.scored && r.status !== 'pass') return `${open}<system-out>informational, not scored (${esc(r.status)}): ${esc(r.message)}</system-out></testcase>`;
    return `${open}</testcase>`;
  };
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// The five, and what XML 1.0 forbids anywhere (results come with it escaped; text from the config may not): one such
// character and no CI tool reads the file.
// eslint-disable-next-line no-control-regex
const XML_SPECIAL = /[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
// eslint-disable-next-line no-control-regex
const XML_SPECIALS = /[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Most text holds none of these: it is returned as it is, without a replacement pass. */
function esc(text: string): string {
  return XML_SPECIAL.test(text) ? text.replace(XML_SPECIALS, (c) => XML_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
}
