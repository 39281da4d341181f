import { commandLines } from '../command-review.js';
import type { Evidence, HipaaLayer, Report, Result } from '../model.js';
import {
  BAND_ICON,
  blockerSet,
  criticalPath,
  formatEffort,
  formatPathEffort,
  formatPhaseEffort,
  formatScore,
  hipaaLayers,
  isOpen,
  QUESTIONS,
  recommendationText,
  resultsBySection,
  scopeNotes,
  verdictLabel,
  sectionAnswer,
  STATUS_ICON,
  accountRows,
  Pieces,
} from './shared.js';

/** The seed's document, generated: summary, sections, HIPAA view, critical path, answers, next steps. */
export function markdownReporter(report: Report): string {
  return [...markdownChunks(report)].join('');
}

/**
 * `markdownReporter`'s text in pieces of a few thousand characters, as they are made: a 100k-resource document is never
 * held whole, and no piece is joined into another.
 */
export function* markdownChunks(report: Report): Generator<string> {
  const md = new Pieces();
  const verdict = verdictLabel(report);
  const remediation = remediationText(report);

  md.lines([`# Production Readiness Assessment — ${text(report.project)}`, '']);
  md.line(`**Date**: ${report.generatedAt}  `);
  md.line(`**Source**: ${describeSource(report)}  `);
  md.lines([`**Tool**: readiness ${report.tool.version} · gate: score ≥ ${report.gate.minScore}% and no open ${report.gate.failOn}-or-worse finding`, '']);
  md.lines(['---', '', '## Executive Summary', '']);
  md.lines([`### Overall Readiness: ${BAND_ICON[report.band]} **${formatScore(report.score)} — ${verdict}**`, '']);
  md.lines([`**Status**: ${report.summary.pass} passed · ${report.summary.fail} failed · ${report.summary.unverified} unverified · ${report.summary.waived} waived · ${report.summary.not_applicable} not applicable`, '']);
  md.lines([`**Recommendation**: ${report.verdict === 'READY' ? recommendationText(report) : recommendationText(report).replace(/^Do not go to production yet\./, '**Do not go to production yet.**')}`, '']);
  md.lines(['| Section | Score | Status | Passed | Failed | Unverified |', '|---|---:|---|---:|---:|---:|']);
  for (const s of report.sections) {
    const status = s.assessed ? BAND_ICON[s.band] : '⚪ not assessed';
    md.line(`| ${s.title} | ${formatScore(s.score)} | ${status} | ${s.counts.pass} | ${s.counts.fail} | ${s.counts.unverified} |`);
  }
  md.line('');
  const accounts = accountRows(report);
  if (accounts.length) {
    md.lines(['### Accounts and projects', '', '| Account | Score | Status | Sections | Passed | Failed | Unverified |', '|---|---:|---|---|---:|---:|---:|']);
    for (const a of accounts) md.line(`| ${text(a.label)} | ${a.score} | ${BAND_ICON[a.band]} | ${text(a.sections)} | ${a.counts.pass} | ${a.counts.fail} | ${a.counts.unverified} |`);
    md.line('');
  }
  if (report.notAssessed.length) {
    md.lines([`> ⚠️ **Not assessed**: ${report.notAssessed.join(', ')} — absent from the config, so nothing there was verified.`, '']);
  }
  const notes = scopeNotes(report);
  if (notes.length) {
    for (const note of notes) md.line(`> ${text(note)}  `);
    md.line('');
  }
  if (report.blockers.length) {
    md.lines(['### Blockers', '']);
    let n = 0;
    for (const group of groupByCheck(report.blockers)) {
      const first = group[0]!;
      const detail = group.length === 1 ? `: ${text(first.message)}${first.status === 'unverified' ? ' _(unverified)_' : ''}` : '';
      md.add(`${++n}. 🔴 **${first.title}** — `);
      codeList(md, group, (r) => r.resource);
      md.line(detail);
      if (md.anyReady) yield* md.ready();
    }
    md.line('');
  }
  if (report.expiredWaivers.length) {
    md.lines(['### Expired waivers (no longer applied)', '']);
    for (const w of report.expiredWaivers) md.line(`- ${code(w.check)}${w.resource ? ` on ${code(w.resource)}` : ''}: expired ${text(w.expires)} (approved by ${text(w.approvedBy)}: ${text(w.reason)})`);
    md.line('');
  }
  md.lines(['---', '']);

  const bySection = resultsBySection(report);
  const blocking = blockerSet(report);
  for (const [index, section] of report.sections.entries()) {
    const results = bySection.get(section.id) ?? [];
    md.lines([`## ${index + 1}. ${section.title} — ${section.assessed ? `${BAND_ICON[section.band]} ${formatScore(section.score)}` : '⚪ not assessed'}`, '']);
    if (!section.assessed) {
      md.lines([`Not assessed: add a \`${section.id}\` section to the config. Checks: ${unique(results.map((r) => `\`${r.checkId}\``)).join(', ')}.`, '']);
      continue;
    }
    const { passed, blockers, others, waived } = byKind(results, blocking);
    if (passed.length) {
      md.lines(['### ✅ Passed', '']);
      yield* each(md, passed, (r) => md.line(`- ✅ **${r.title}** — ${code(r.resource)}: ${text(r.message)}`));
      md.line('');
    }
    if (blockers.length) {
      md.lines(['### 🔴 Critical findings', '']);
      let n = 0;
      for (const group of groupByCheck(blockers)) yield* finding(md, group, ++n, '🔴', remediation);
    }
    if (others.length) {
      md.lines(['### 🟡 Other findings', '']);
      let n = 0;
      for (const group of groupByCheck(others)) yield* finding(md, group, ++n, '🟡', remediation);
    }
    if (waived.length) {
      md.lines(['### ⏸️ Waived', '']);
      yield* each(md, waived, (r) => md.line(`- **${r.title}** — ${code(r.resource)}: ${text(r.message)} — waived until ${text(r.waiver?.expires ?? '')} by ${text(r.waiver?.approvedBy ?? '')}: ${text(r.waiver?.reason ?? '')}`));
      md.line('');
    }
  }

  let chapter = report.sections.length;
  const heading = (title: string) => [`## ${++chapter}. ${title}`, ''];

  md.lines(heading('HIPAA Compliance Assessment'));
  for (const { title, percent: pct, passed, checks } of hipaaLayers(report)) {
    md.line(`### ${title}: ${pct >= 90 ? '✅' : pct >= 70 ? '🟡' : '🔴'} ${pct}% (${passed}/${checks.length} checks)`);
    for (const c of checks) md.line(`- ${STATUS_ICON[c.status]} ${c.title}${c.hipaa.length ? ` (45 CFR ${c.hipaa.join(', ')})` : ''}`);
    md.line('');
  }

  const informational = report.results.filter((r) => !r.scored);
  if (informational.length) {
    md.lines(heading('Cost and other information (not scored)'));
    for (const r of informational) {
      md.lines([`### ${STATUS_ICON[r.status]} ${r.title}`, '', paragraph(r.message), '']);
      const rows = Object.entries(r.evidence);
      if (rows.length) {
        md.lines(['| item | value |', '|---|---:|']);
        for (const [k, v] of rows) md.line(`| ${text(k)} | ${text(Array.isArray(v) ? v.join(', ') : String(v))} |`);
        md.line('');
      }
      if (md.anyReady) yield* md.ready();
    }
  }

  md.lines(heading('Critical Path to Production'));
  const path = criticalPath(report);
  if (path.length === 0) md.lines(['Nothing open. 🎉', '']);
  for (const phase of path) {
    md.lines([`### Phase ${phase.phase}: ${phase.title} — ${formatPhaseEffort(phase)}`, '']);
    for (const [i, step] of phase.steps.entries()) {
      const effort = step.effortLabel ?? formatEffort(step.effortMinutes);
      md.add(`${i + 1}. **${step.title}**${step.blocker ? ' 🔴' : ''} (${effort}) — `);
      codeList(md, step.resources, (r) => r);
      md.line('');
      md.line(`   - ${step.unverified ? 'Could not be verified. ' : ''}${remediation(step.checkId, step.text)}`);
      if (step.commands.length) {
        md.line('   ```bash');
        yield* each(md, commandLines(step.commands), (line) => md.line(`   ${line}`));
        md.line('   ```');
      }
      if (md.anyReady) yield* md.ready();
    }
    md.line('');
  }

  md.lines(heading('Recommendations'));
  md.lines([report.verdict === 'READY' ? '### 🟢 READY FOR PRODUCTION' : '### 🔴 DO NOT GO TO PRODUCTION YET', '']);
  if (report.blockers.length) {
    md.line('**Critical Blockers**:');
    for (const [i, title] of unique(report.blockers.map((b) => b.title)).entries()) md.line(`${i + 1}. ${title}`);
    md.line('');
  }
  if (path.length) md.lines([`**Estimated effort on the critical path**: ${formatPathEffort(path)}.`, '']);

  md.lines(heading('Answers'));
  for (const section of report.sections) {
    const question = QUESTIONS[section.id];
    if (!question) continue;
    md.lines([`### Q: ${question}`, `**A: ${sectionAnswer(report, section.id)}**`, '']);
  }

  md.lines(heading('Immediate Next Steps'));
  const first = path[0];
  if (!first) md.lines(['None: keep the report green in CI.', '']);
  else {
    const blockerSteps = path.flatMap((p) => p.steps).filter((s) => s.blocker);
    const steps = (blockerSteps.length ? blockerSteps : first.steps).slice(0, 8);
    md.lines([`### Priority 1: ${blockerSteps.length ? 'Blockers' : `Phase ${first.phase} — ${first.title}`}`, '', '```bash']);
    const printed = new Set<string>();
    for (const [i, step] of steps.entries()) {
      // A blank line between steps, none after the last.
      if (i > 0) md.line('');
      md.line(`# ${i + 1}. ${step.title} (${step.effortLabel ?? formatEffort(step.effortMinutes)})`);
      const fresh = step.commands.filter((command) => !printed.has(command));
      if (fresh.length) yield* each(md, commandLines(fresh), (line) => md.line(line));
      else md.line(`# ${step.commands.length ? 'the command above' : step.text}`);
      fresh.forEach((command) => printed.add(command));
      if (md.anyReady) yield* md.ready();
    }
    md.lines(['```', '']);
  }
  // The last line ends the text: no line after it.
  md.lines(['---', '', `_Generated by readiness ${report.tool.version} at ${report.generatedAt}. Every verdict above comes from the evidence shown; unverified counts as not passed._`]);
  yield* md.done();
}

/** One numbered finding per check, its resources beneath: "Missing: A, B, C" as in the seed. */
function* finding(md: Pieces, group: Result[], n: number, icon: string, remediation: RemediationText): Generator<string> {
  const first = group[0]!;
  const unverified = group.every((r) => r.status === 'unverified') ? ' _(unverified)_' : '';
  md.line(`${n}. **${icon} ${first.title}**${unverified} — \`${first.checkId}\``);
  const commands = new Set<string>();
  yield* each(md, group, (r) => {
    md.line(`   - ${code(r.resource)}: ${text(r.message)}${r.status === 'unverified' && !unverified ? ' _(unverified)_' : ''}${evidenceSuffix(r.evidence)}`);
    if (r.waiver?.expired) md.line(`     - waiver expired on ${text(r.waiver.expires)} (was approved by ${text(r.waiver.approvedBy)})`);
    if (r.remediation.command) commands.add(r.remediation.command);
  });
  md.line(`   - **Risk**: ${first.risk}`);
  md.line(`   - **Severity**: ${first.severity}${first.hipaa.length ? ` · 45 CFR ${first.hipaa.join(', ')}` : ''}`);
  md.line(`   - **Action Required**: ${remediation(first.checkId, first.remediation.text)}`);
  if (commands.size) {
    md.lines(['   - **Commands**:', '     ```bash']);
    yield* each(md, commandLines([...commands]), (line) => md.line(`     ${line}`));
    md.line('     ```');
  }
  md.lines([`   - **Effort**: ${first.remediation.effortLabel ?? formatEffort(first.remediation.effortMinutes)}`, '']);
}

/** A section's results as its subsections list them: passed, blockers, other open findings, waived. */
function byKind(results: readonly Result[], blocking: ReadonlySet<Result>): Record<'passed' | 'blockers' | 'others' | 'waived', Result[]> {
  const kinds = { passed: [] as Result[], blockers: [] as Result[], others: [] as Result[], waived: [] as Result[] };
  for (const r of results) {
    if (r.status === 'pass') kinds.passed.push(r);
    else if (r.status === 'waived') kinds.waived.push(r);
    else if (isOpen(r)) (blocking.has(r) ? kinds.blockers : kinds.others).push(r);
  }
  return kinds;
}

/** Items a batch at a time (`write` writes each one's lines), the finished pieces handed on between batches. */
function* each<T>(md: Pieces, items: readonly T[], write: (item: T) => void): Generator<string> {
  for (let start = 0; start < items.length; start += EACH_BATCH) {
    writeEach(items, start, Math.min(items.length, start + EACH_BATCH), write);
    if (md.anyReady) yield* md.ready();
  }
}

/** Items written in a batch. */
const EACH_BATCH = 256;

/** The loop of `each`, in a plain function: V8 optimizes a long loop in a generator late, one here early (on-stack). */
function writeEach<T>(items: readonly T[], start: number, end: number, write: (item: T) => void): void {
  for (let i = start; i < end; i++) write(items[i]!);
}

/** "`a`, `b`, `c`" on the current line, a part at a time (a list can name thousands). */
function codeList<T>(md: Pieces, items: readonly T[], name: (item: T) => string): void {
  for (let i = 0; i < items.length; i++) md.add(`${i === 0 ? '' : ', '}${code(name(items[i]!))}`);
}

function groupByCheck(results: Result[]): Result[][] {
  return [...Map.groupBy(results, (r) => r.checkId).values()];
}

function evidenceSuffix(evidence: Evidence): string {
  const keys = Object.keys(evidence);
  if (keys.length === 0) return '';
  const items = keys.map((key) => {
    const value = evidence[key];
    return `${text(key)}=${code(Array.isArray(value) ? value.join(', ') : String(value))}`;
  });
  return ` ${items.join(' · ')}`;
}

function describeSource(report: Report): string {
  const { source } = report;
  const parts = [source.kind === 'live' ? 'live environment' : source.kind === 'demo' ? 'bundled demo environment (offline)' : `snapshot ${text(source.snapshot ?? '')}`];
  if (source.collectedAt) parts.push(`collected ${text(source.collectedAt)}`);
  if (source.snapshotSha256) parts.push(`snapshot sha256 ${code(source.snapshotSha256)}`);
  if (source.account) parts.push(`AWS account ${text(source.account)}${source.principal ? ` as ${code(source.principal)}` : ''}`);
  if (source.region) parts.push(`region ${text(source.region)}`);
  return parts.join(' · ');
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

type RemediationText = (checkId: string, remediation: string) => string;

/**
 * A remediation as Markdown: the check's own text is the catalog's Markdown, shown as written; any other (an unverified
 * result's fix, from what a collector saw) is text like the rest.
 */
function remediationText(report: Report): RemediationText {
  const own = new Map(report.checks.map((c) => [c.id, c.remediation.text]));
  return (checkId, remediation) => (own.get(checkId) === remediation ? remediation : text(remediation));
}

const MARKDOWN_SPECIAL = /[\\`*_~[\]<>|&$]/;
const MARKDOWN_SPECIALS = /[\\`*_~[\]<>|&$]/g;

/**
 * Text from the environment or the config (names, messages, reasons), shown as it is: nothing in it can open emphasis,
 * code, a link or an image, HTML, math (GitHub renders `$…$`) or a table cell. Most text holds none of these.
 */
function text(value: string): string {
  if (!MARKDOWN_SPECIAL.test(value)) return value;
  return value.replace(MARKDOWN_SPECIALS, (c: string, at: number) => {
    if (c === '&') return '&amp;';
    if (c === '<') return '&lt;';
    if (c === '>') return '&gt;';
    // Between two letters or digits an underscore opens and closes nothing (CommonMark's flanking rules): snake_case stays as written.
    if (c === '_' && WORD_CHARACTER.test(value[at - 1] ?? '') && WORD_CHARACTER.test(value[at + 1] ?? '')) return c;
    return `\\${c}`;
  });
}

const WORD_CHARACTER = /^[\p{L}\p{N}]$/u;

/** Text that starts a line of its own: also what would make it a heading, a quote, a list item or a rule. */
function paragraph(value: string): string {
  return text(value).replace(/^( {0,3})([#>+=-]|\d+(?=[.)]))/, (_, indent: string, marker: string) => (/\d/.test(marker) ? `${indent}${marker}\\` : `${indent}\\${marker}`));
}

/**
 * A name as inline code, whatever it holds: CommonMark ends a code span at the first run of as many backticks as
 * opened it, so the fence is one longer than the longest run inside. A space pads a name that starts or ends with a
 * backtick, or with a space at both ends (one of which CommonMark strips). Nothing else is read inside a code span.
 */
function code(value: string): string {
  if (value === '') return '_(empty)_';
  const stripped = value.startsWith(' ') && value.endsWith(' ') && /[^ ]/.test(value);
  const pad = value.startsWith('`') || value.endsWith('`') || stripped ? ' ' : '';
  if (!value.includes('`')) return `\`${pad}${value}${pad}\``;
  const longest = Math.max(...value.match(/`+/g)!.map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${pad}${value}${pad}${fence}`;
}
