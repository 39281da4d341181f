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
  return markdownLines(report).join('\n');
}

/** `markdownReporter`'s text, line by line. */
export function* markdownChunks(report: Report): Generator<string> {
  const lines = markdownLines(report);
  for (let i = 0; i < lines.length; i++) yield i < lines.length - 1 ? `${lines[i]}\n` : lines[i]!;
}

function markdownLines(report: Report): string[] {
  const out: string[] = [];
  const push = (...lines: string[]) => pushAll(lines);
  // Never out.push(...lines) with a list that grows with the resources: spreading 50k lines overflows the call stack.
  const pushAll = (lines: readonly string[]) => {
    for (const line of lines) out.push(line);
  };
  const verdict = verdictLabel(report);

  push(`# Production Readiness Assessment — ${report.project}`, '');
  push(`**Date**: ${report.generatedAt}  `);
  push(`**Source**: ${describeSource(report)}  `);
  push(`**Tool**: readiness ${report.tool.version} · gate: score ≥ ${report.gate.minScore}% and no open ${report.gate.failOn}-or-worse finding`, '');
  push('---', '', '## Executive Summary', '');
  push(`### Overall Readiness: ${BAND_ICON[report.band]} **${formatScore(report.score)} — ${verdict}**`, '');
  push(`**Status**: ${report.summary.pass} passed · ${report.summary.fail} failed · ${report.summary.unverified} unverified · ${report.summary.waived} waived · ${report.summary.not_applicable} not applicable`, '');
  push(`**Recommendation**: ${report.verdict === 'READY' ? recommendationText(report) : recommendationText(report).replace(/^Do not go to production yet\./, '**Do not go to production yet.**')}`, '');
  push('| Section | Score | Status | Passed | Failed | Unverified |', '|---|---:|---|---:|---:|---:|');
  for (const s of report.sections) {
    const status = s.assessed ? BAND_ICON[s.band] : '⚪ not assessed';
    push(`| ${s.title} | ${formatScore(s.score)} | ${status} | ${s.counts.pass} | ${s.counts.fail} | ${s.counts.unverified} |`);
  }
  push('');
  const accounts = accountRows(report);
  if (accounts.length) {
    push('### Accounts and projects', '', '| Account | Score | Status | Sections | Passed | Failed | Unverified |', '|---|---:|---|---|---:|---:|---:|');
    for (const a of accounts) push(`| ${escapeInline(a.label)} | ${a.score} | ${BAND_ICON[a.band]} | ${escapeInline(a.sections)} | ${a.counts.pass} | ${a.counts.fail} | ${a.counts.unverified} |`);
    push('');
  }
  if (report.notAssessed.length) {
    push(`> ⚠️ **Not assessed**: ${report.notAssessed.join(', ')} — absent from the config, so nothing there was verified.`, '');
  }
  const notes = scopeNotes(report);
  if (notes.length) push(...notes.map((note) => `> ${escapeInline(note)}  `), '');
  if (report.blockers.length) {
    push('### Blockers', '');
    groupByCheck(report.blockers).forEach((group, i) => {
      const first = group[0]!;
      const detail = group.length === 1 ? `: ${first.message}${first.status === 'unverified' ? ' _(unverified)_' : ''}` : '';
      push(`${i + 1}. 🔴 **${first.title}** — ${group.map((r) => `\`${r.resource}\``).join(', ')}${detail}`);
    });
    push('');
  }
  if (report.expiredWaivers.length) {
    push('### Expired waivers (no longer applied)', '');
    for (const w of report.expiredWaivers) push(`- \`${w.check}\`${w.resource ? ` on \`${w.resource}\`` : ''}: expired ${w.expires} (approved by ${w.approvedBy}: ${w.reason})`);
    push('');
  }
  push('---', '');

  const bySection = resultsBySection(report);
  const blocking = blockerSet(report);
  report.sections.forEach((section, index) => {
    const results = bySection.get(section.id) ?? [];
    push(`## ${index + 1}. ${section.title} — ${section.assessed ? `${BAND_ICON[section.band]} ${formatScore(section.score)}` : '⚪ not assessed'}`, '');
    if (!section.assessed) {
      push(`Not assessed: add a \`${section.id}\` section to the config. Checks: ${unique(results.map((r) => `\`${r.checkId}\``)).join(', ')}.`, '');
      return;
    }
    const passed = results.filter((r) => r.status === 'pass');
    const blockers = results.filter((r) => isOpen(r) && blocking.has(r));
    const others = results.filter((r) => isOpen(r) && !blocking.has(r));
    const waived = results.filter((r) => r.status === 'waived');
    if (passed.length) {
      push('### ✅ Passed', '');
      for (const r of passed) push(`- ✅ **${r.title}** — \`${r.resource}\`: ${r.message}`);
      push('');
    }
    if (blockers.length) {
      push('### 🔴 Critical findings', '');
      groupByCheck(blockers).forEach((group, i) => pushAll(finding(group, i + 1, '🔴')));
    }
    if (others.length) {
      push('### 🟡 Other findings', '');
      groupByCheck(others).forEach((group, i) => pushAll(finding(group, i + 1, '🟡')));
    }
    if (waived.length) {
      push('### ⏸️ Waived', '');
      for (const r of waived) push(`- **${r.title}** — \`${r.resource}\`: ${r.message} — waived until ${r.waiver?.expires} by ${r.waiver?.approvedBy}: ${r.waiver?.reason}`);
      push('');
    }
  });

  let chapter = report.sections.length;
  const heading = (title: string) => push(`## ${++chapter}. ${title}`, '');

  heading('HIPAA Compliance Assessment');
  for (const { title, percent: pct, passed, checks } of hipaaLayers(report)) {
    push(`### ${title}: ${pct >= 90 ? '✅' : pct >= 70 ? '🟡' : '🔴'} ${pct}% (${passed}/${checks.length} checks)`);
    for (const c of checks) push(`- ${STATUS_ICON[c.status]} ${c.title}${c.hipaa.length ? ` (45 CFR ${c.hipaa.join(', ')})` : ''}`);
    push('');
  }

  const informational = report.results.filter((r) => !r.scored);
  if (informational.length) {
    heading('Cost and other information (not scored)');
    for (const r of informational) {
      push(`### ${STATUS_ICON[r.status]} ${r.title}`, '', r.message, '');
      const rows = Object.entries(r.evidence);
      if (rows.length) push('| item | value |', '|---|---:|', ...rows.map(([k, v]) => `| ${k} | ${Array.isArray(v) ? v.join(', ') : String(v)} |`), '');
    }
  }

  heading('Critical Path to Production');
  const path = criticalPath(report);
  if (path.length === 0) push('Nothing open. 🎉', '');
  for (const phase of path) {
    push(`### Phase ${phase.phase}: ${phase.title} — ${formatPhaseEffort(phase)}`, '');
    phase.steps.forEach((step, i) => {
      const effort = step.effortLabel ?? formatEffort(step.effortMinutes);
      push(`${i + 1}. **${step.title}**${step.blocker ? ' 🔴' : ''} (${effort}) — ${step.resources.map((r) => `\`${r}\``).join(', ')}`);
      push(`   - ${step.unverified ? 'Could not be verified. ' : ''}${step.text}`);
      if (step.commands.length) {
        push('   ```bash');
        pushAll(commandLines(step.commands).map((c) => `   ${c}`));
        push('   ```');
      }
    });
    push('');
  }

  heading('Recommendations');
  push(report.verdict === 'READY' ? '### 🟢 READY FOR PRODUCTION' : '### 🔴 DO NOT GO TO PRODUCTION YET', '');
  if (report.blockers.length) {
    push('**Critical Blockers**:');
    unique(report.blockers.map((b) => b.title)).forEach((title, i) => push(`${i + 1}. ${title}`));
    push('');
  }
  if (path.length) push(`**Estimated effort on the critical path**: ${formatPathEffort(path)}.`, '');

  heading('Answers');
  for (const section of report.sections) {
    const question = QUESTIONS[section.id];
    if (!question) continue;
    push(`### Q: ${question}`, `**A: ${sectionAnswer(report, section.id)}**`, '');
  }

  heading('Immediate Next Steps');
  const first = path[0];
  if (!first) push('None: keep the report green in CI.', '');
  else {
    const blockerSteps = path.flatMap((p) => p.steps).filter((s) => s.blocker);
    const steps = (blockerSteps.length ? blockerSteps : first.steps).slice(0, 8);
    push(`### Priority 1: ${blockerSteps.length ? 'Blockers' : `Phase ${first.phase} — ${first.title}`}`, '', '```bash');
    const printed = new Set<string>();
    steps.forEach((step, i) => {
      push(`# ${i + 1}. ${step.title} (${step.effortLabel ?? formatEffort(step.effortMinutes)})`);
      const fresh = step.commands.filter((command) => !printed.has(command));
      if (fresh.length) pushAll(commandLines(fresh));
      else push(`# ${step.commands.length ? 'the command above' : step.text}`);
      for (const command of fresh) printed.add(command);
      push('');
    });
    if (out[out.length - 1] === '') out.pop();
    push('```', '');
  }
  push('---', '', `_Generated by readiness ${report.tool.version} at ${report.generatedAt}. Every verdict above comes from the evidence shown; unverified counts as not passed._`, '');
  return out;
}

/** One numbered finding per check, its resources beneath: "Missing: A, B, C" as in the seed. */
function finding(group: Result[], n: number, icon: string): string[] {
  const first = group[0]!;
  const unverified = group.every((r) => r.status === 'unverified') ? ' _(unverified)_' : '';
  const lines = [`${n}. **${icon} ${first.title}**${unverified} — \`${first.checkId}\``];
  for (const r of group) {
    lines.push(`   - \`${r.resource}\`: ${r.message}${r.status === 'unverified' && !unverified ? ' _(unverified)_' : ''}${evidenceSuffix(r.evidence)}`);
    if (r.waiver?.expired) lines.push(`     - waiver expired on ${r.waiver.expires} (was approved by ${r.waiver.approvedBy})`);
  }
  lines.push(`   - **Risk**: ${first.risk}`);
  lines.push(`   - **Severity**: ${first.severity}${first.hipaa.length ? ` · 45 CFR ${first.hipaa.join(', ')}` : ''}`);
  lines.push(`   - **Action Required**: ${first.remediation.text}`);
  const commands = unique(group.flatMap((r) => (r.remediation.command ? [r.remediation.command] : [])));
  if (commands.length) {
    lines.push('   - **Commands**:', '     ```bash');
    for (const c of commandLines(commands)) lines.push(`     ${c}`);
    lines.push('     ```');
  }
  lines.push(`   - **Effort**: ${first.remediation.effortLabel ?? formatEffort(first.remediation.effortMinutes)}`, '');
  return lines;
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
