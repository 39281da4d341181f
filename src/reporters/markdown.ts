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
} from './shared.js';

/** The seed's document, generated: summary, sections, HIPAA view, critical path, answers, next steps. */
export function markdownReporter(report: Report): string {
  return [...markdownLines(report)].join('\n');
}

/** `markdownReporter`'s text, line by line, as the lines are made: a 100k-resource document is never held whole. */
export function* markdownChunks(report: Report): Generator<string> {
  let previous: string | undefined;
  for (const line of markdownLines(report)) {
    if (previous !== undefined) yield `${previous}\n`;
    previous = line;
  }
  if (previous !== undefined) yield previous;
}

function* markdownLines(report: Report): Generator<string> {
  const verdict = verdictLabel(report);

  yield* [`# Production Readiness Assessment — ${report.project}`, ''];
  yield `**Date**: ${report.generatedAt}  `;
  yield `**Source**: ${describeSource(report)}  `;
  yield* [`**Tool**: readiness ${report.tool.version} · gate: score ≥ ${report.gate.minScore}% and no open ${report.gate.failOn}-or-worse finding`, ''];
  yield* ['---', '', '## Executive Summary', ''];
  yield* [`### Overall Readiness: ${BAND_ICON[report.band]} **${formatScore(report.score)} — ${verdict}**`, ''];
  yield* [`**Status**: ${report.summary.pass} passed · ${report.summary.fail} failed · ${report.summary.unverified} unverified · ${report.summary.waived} waived · ${report.summary.not_applicable} not applicable`, ''];
  yield* [`**Recommendation**: ${report.verdict === 'READY' ? recommendationText(report) : recommendationText(report).replace(/^Do not go to production yet\./, '**Do not go to production yet.**')}`, ''];
  yield* ['| Section | Score | Status | Passed | Failed | Unverified |', '|---|---:|---|---:|---:|---:|'];
  for (const s of report.sections) {
    const status = s.assessed ? BAND_ICON[s.band] : '⚪ not assessed';
    yield `| ${s.title} | ${formatScore(s.score)} | ${status} | ${s.counts.pass} | ${s.counts.fail} | ${s.counts.unverified} |`;
  }
  yield '';
  const accounts = accountRows(report);
  if (accounts.length) {
    yield* ['### Accounts and projects', '', '| Account | Score | Status | Sections | Passed | Failed | Unverified |', '|---|---:|---|---|---:|---:|---:|'];
    for (const a of accounts) yield `| ${escapeInline(a.label)} | ${a.score} | ${BAND_ICON[a.band]} | ${escapeInline(a.sections)} | ${a.counts.pass} | ${a.counts.fail} | ${a.counts.unverified} |`;
    yield '';
  }
  if (report.notAssessed.length) {
    yield* [`> ⚠️ **Not assessed**: ${report.notAssessed.join(', ')} — absent from the config, so nothing there was verified.`, ''];
  }
  const notes = scopeNotes(report);
  if (notes.length) {
    for (const note of notes) yield `> ${escapeInline(note)}  `;
    yield '';
  }
  if (report.blockers.length) {
    yield* ['### Blockers', ''];
    let n = 0;
    for (const group of groupByCheck(report.blockers)) {
      const first = group[0]!;
      const detail = group.length === 1 ? `: ${first.message}${first.status === 'unverified' ? ' _(unverified)_' : ''}` : '';
      yield `${++n}. 🔴 **${first.title}** — ${group.map((r) => `\`${r.resource}\``).join(', ')}${detail}`;
    }
    yield '';
  }
  if (report.expiredWaivers.length) {
    yield* ['### Expired waivers (no longer applied)', ''];
    for (const w of report.expiredWaivers) yield `- \`${w.check}\`${w.resource ? ` on \`${w.resource}\`` : ''}: expired ${w.expires} (approved by ${w.approvedBy}: ${w.reason})`;
    yield '';
  }
  yield* ['---', ''];

  const bySection = resultsBySection(report);
  const blocking = blockerSet(report);
  for (const [index, section] of report.sections.entries()) {
    const results = bySection.get(section.id) ?? [];
    yield* [`## ${index + 1}. ${section.title} — ${section.assessed ? `${BAND_ICON[section.band]} ${formatScore(section.score)}` : '⚪ not assessed'}`, ''];
    if (!section.assessed) {
      yield* [`Not assessed: add a \`${section.id}\` section to the config. Checks: ${unique(results.map((r) => `\`${r.checkId}\``)).join(', ')}.`, ''];
      continue;
    }
    const passed = results.filter((r) => r.status === 'pass');
    const blockers = results.filter((r) => isOpen(r) && blocking.has(r));
    const others = results.filter((r) => isOpen(r) && !blocking.has(r));
    const waived = results.filter((r) => r.status === 'waived');
    if (passed.length) {
      yield* ['### ✅ Passed', ''];
      yield* inBatches(passed, (r, lines) => lines.push(`- ✅ **${r.title}** — \`${r.resource}\`: ${r.message}`));
      yield '';
    }
    if (blockers.length) {
      yield* ['### 🔴 Critical findings', ''];
      let n = 0;
      for (const group of groupByCheck(blockers)) yield* finding(group, ++n, '🔴');
    }
    if (others.length) {
      yield* ['### 🟡 Other findings', ''];
      let n = 0;
      for (const group of groupByCheck(others)) yield* finding(group, ++n, '🟡');
    }
    if (waived.length) {
      yield* ['### ⏸️ Waived', ''];
      yield* inBatches(waived, (r, lines) => lines.push(`- **${r.title}** — \`${r.resource}\`: ${r.message} — waived until ${r.waiver?.expires} by ${r.waiver?.approvedBy}: ${r.waiver?.reason}`));
      yield '';
    }
  }

  let chapter = report.sections.length;
  const heading = (title: string) => [`## ${++chapter}. ${title}`, ''];

  yield* heading('HIPAA Compliance Assessment');
  for (const { title, percent: pct, passed, checks } of hipaaLayers(report)) {
    yield `### ${title}: ${pct >= 90 ? '✅' : pct >= 70 ? '🟡' : '🔴'} ${pct}% (${passed}/${checks.length} checks)`;
    for (const c of checks) yield `- ${STATUS_ICON[c.status]} ${c.title}${c.hipaa.length ? ` (45 CFR ${c.hipaa.join(', ')})` : ''}`;
    yield '';
  }

  const informational = report.results.filter((r) => !r.scored);
  if (informational.length) {
    yield* heading('Cost and other information (not scored)');
    for (const r of informational) {
      yield* [`### ${STATUS_ICON[r.status]} ${r.title}`, '', r.message, ''];
      const rows = Object.entries(r.evidence);
      if (rows.length) {
        yield* ['| item | value |', '|---|---:|'];
        for (const [k, v] of rows) yield `| ${k} | ${Array.isArray(v) ? v.join(', ') : String(v)} |`;
        yield '';
      }
    }
  }

  yield* heading('Critical Path to Production');
  const path = criticalPath(report);
  if (path.length === 0) yield* ['Nothing open. 🎉', ''];
  for (const phase of path) {
    yield* [`### Phase ${phase.phase}: ${phase.title} — ${formatPhaseEffort(phase)}`, ''];
    for (const [i, step] of phase.steps.entries()) {
      const effort = step.effortLabel ?? formatEffort(step.effortMinutes);
      yield `${i + 1}. **${step.title}**${step.blocker ? ' 🔴' : ''} (${effort}) — ${step.resources.map((r) => `\`${r}\``).join(', ')}`;
      yield `   - ${step.unverified ? 'Could not be verified. ' : ''}${step.text}`;
      if (step.commands.length) {
        yield '   ```bash';
        yield* inBatches(commandLines(step.commands), (line, lines) => lines.push(`   ${line}`));
        yield '   ```';
      }
    }
    yield '';
  }

  yield* heading('Recommendations');
  yield* [report.verdict === 'READY' ? '### 🟢 READY FOR PRODUCTION' : '### 🔴 DO NOT GO TO PRODUCTION YET', ''];
  if (report.blockers.length) {
    yield '**Critical Blockers**:';
    for (const [i, title] of unique(report.blockers.map((b) => b.title)).entries()) yield `${i + 1}. ${title}`;
    yield '';
  }
  if (path.length) yield* [`**Estimated effort on the critical path**: ${formatPathEffort(path)}.`, ''];

  yield* heading('Answers');
  for (const section of report.sections) {
    const question = QUESTIONS[section.id];
    if (!question) continue;
    yield* [`### Q: ${question}`, `**A: ${sectionAnswer(report, section.id)}**`, ''];
  }

  yield* heading('Immediate Next Steps');
  const first = path[0];
  if (!first) yield* ['None: keep the report green in CI.', ''];
  else {
    const blockerSteps = path.flatMap((p) => p.steps).filter((s) => s.blocker);
    const steps = (blockerSteps.length ? blockerSteps : first.steps).slice(0, 8);
    yield* [`### Priority 1: ${blockerSteps.length ? 'Blockers' : `Phase ${first.phase} — ${first.title}`}`, '', '```bash'];
    const printed = new Set<string>();
    for (const [i, step] of steps.entries()) {
      // A blank line between steps, none after the last.
      if (i > 0) yield '';
      yield `# ${i + 1}. ${step.title} (${step.effortLabel ?? formatEffort(step.effortMinutes)})`;
      const fresh = step.commands.filter((command) => !printed.has(command));
      if (fresh.length) yield* inBatches(commandLines(fresh), (line, lines) => lines.push(line));
      else yield `# ${step.commands.length ? 'the command above' : step.text}`;
      for (const command of fresh) printed.add(command);
    }
    yield* ['```', ''];
  }
  yield* ['---', '', `_Generated by readiness ${report.tool.version} at ${report.generatedAt}. Every verdict above comes from the evidence shown; unverified counts as not passed._`, ''];
}

/** One numbered finding per check, its resources beneath: "Missing: A, B, C" as in the seed. */
function* finding(group: Result[], n: number, icon: string): Generator<string> {
  const first = group[0]!;
  const unverified = group.every((r) => r.status === 'unverified') ? ' _(unverified)_' : '';
  yield `${n}. **${icon} ${first.title}**${unverified} — \`${first.checkId}\``;
  yield* inBatches(group, (r, lines) => {
    lines.push(`   - \`${r.resource}\`: ${r.message}${r.status === 'unverified' && !unverified ? ' _(unverified)_' : ''}${evidenceSuffix(r.evidence)}`);
    if (r.waiver?.expired) lines.push(`     - waiver expired on ${r.waiver.expires} (was approved by ${r.waiver.approvedBy})`);
  });
  yield `   - **Risk**: ${first.risk}`;
  yield `   - **Severity**: ${first.severity}${first.hipaa.length ? ` · 45 CFR ${first.hipaa.join(', ')}` : ''}`;
  yield `   - **Action Required**: ${first.remediation.text}`;
  const commands = unique(group.flatMap((r) => (r.remediation.command ? [r.remediation.command] : [])));
  if (commands.length) {
    yield* ['   - **Commands**:', '     ```bash'];
    yield* inBatches(commandLines(commands), (c, lines) => lines.push(`     ${c}`));
    yield '     ```';
  }
  yield* [`   - **Effort**: ${first.remediation.effortLabel ?? formatEffort(first.remediation.effortMinutes)}`, ''];
}

/** Lines made per result or command, a few hundred at a time as one piece: a generator step for each line would cost more than the line. */
function* inBatches<T>(items: readonly T[], toLines: (item: T, lines: string[]) => void): Generator<string> {
  const BATCH = 256;
  for (let start = 0; start < items.length; start += BATCH) {
    const lines: string[] = [];
    for (const item of items.slice(start, start + BATCH)) toLines(item, lines);
    if (lines.length) yield lines.join('\n');
  }
}

function groupByCheck(results: Result[]): Result[][] {
  return [...Map.groupBy(results, (r) => r.checkId).values()];
}

function evidenceSuffix(evidence: Evidence): string {
  const entries = Object.entries(evidence);
  if (entries.length === 0) return '';
  return ` ${entries.map(([k, v]) => `${k}=\`${Array.isArray(v) ? v.join(', ') : String(v)}\``).join(' · ')}`;
}

function describeSource(report: Report): string {
  const { source } = report;
  const parts = [source.kind === 'live' ? 'live environment' : source.kind === 'demo' ? 'bundled demo environment (offline)' : `snapshot ${source.snapshot}`];
  if (source.collectedAt) parts.push(`collected ${source.collectedAt}`);
  if (source.snapshotSha256) parts.push(`snapshot sha256 \`${source.snapshotSha256}\``);
  if (source.account) parts.push(`AWS account ${source.account}${source.principal ? ` as \`${source.principal}\`` : ''}`);
  if (source.region) parts.push(`region ${source.region}`);
  return parts.join(' · ');
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** Text from the config (reasons, names) cannot open markup, a link or a table cell. */
function escapeInline(text: string): string {
  return text.replace(/[\\`*_[\]<>|&]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`));
}
