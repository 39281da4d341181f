import { commandLines, commandNote } from '../command-review.js';
import type { Band, Evidence, Report, Result, Status } from '../model.js';
import { SECTIONS } from '../model.js';
import {
  criticalPath,
  formatEffort,
  formatPathEffort,
  formatPhaseEffort,
  formatScore,
  hipaaCitations,
  hipaaLayers,
  isOpen,
  QUESTIONS,
  recommendationText,
  resultsBySection,
  scopeNotes,
  sectionAnswer,
  verdictLabel,
  accountRows,
  Pieces,
  STATUS_ORDER,
  statusRank,
} from './shared.js';

const STYLE = `
:root { color-scheme: light; --red: #b42318; --yellow: #b54708; --green: #067647; --muted: #667085; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1100px; padding: 24px; color: #101828; }
h1 { margin-bottom: 4px; } h2 { margin-top: 40px; border-bottom: 1px solid #eaecf0; padding-bottom: 6px; }
.meta { color: var(--muted); }
.verdict { font-size: 28px; font-weight: 700; margin: 16px 0; }
.verdict.green { color: var(--green); } .verdict.yellow { color: var(--yellow); } .verdict.red { color: var(--red); }
table { border-collapse: collapse; width: 100%; margin: 12px 0; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #eaecf0; vertical-align: top; overflow-wrap: anywhere; }
table.results { table-layout: fixed; }
table.results col.status { width: 110px; } table.results col.check { width: 210px; } table.results col.resource { width: 200px; }
th { background: #f9fafb; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.status-fail { color: var(--red); font-weight: 600; } .status-unverified { color: var(--yellow); font-weight: 600; }
.status-pass { color: var(--green); } .status-waived, .status-not_applicable { color: var(--muted); }
code, pre { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { background: #f2f4f7; padding: 10px; overflow-x: auto; border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
details { margin: 4px 0; } summary { cursor: pointer; }
.evidence { color: var(--muted); font-size: 13px; }
.dot { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 50%; vertical-align: baseline; }
.dot.green { background: var(--green); } .dot.yellow { background: #f79009; } .dot.red { background: var(--red); }
.banner { background: #fffaeb; border: 1px solid #fedf89; padding: 8px 12px; border-radius: 6px; }
.risk { margin: 2px 0 6px; }
code.hash { font-size: 11px; }
.scroll { overflow-x: auto; margin: 12px 0; } .scroll > table { margin: 0; }
#sections th, table.list th { white-space: nowrap; }
/* In a table that may scroll, a word is never split: the table grows and scrolls instead. */
.scroll td { overflow-wrap: break-word; }
ul.checks { list-style: none; padding-left: 0; } ul.checks li { margin: 2px 0; }
dl.answers dt { font-weight: 600; margin-top: 10px; } dl.answers dd { margin: 2px 0 0; }
dl.method { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; } dl.method dt { font-weight: 600; } dl.method dd { margin: 0; }
table.sign-off { max-width: 560px; } table.sign-off th { background: none; width: 120px; } table.sign-off td { height: 44px; vertical-align: bottom; }
.blank { display: inline-block; width: 100%; min-width: 120px; border-bottom: 1px solid #101828; height: 1.2em; }
/* A phone: the results reflow, one finding a block, rather than four columns squeezed to nothing. */
@media (max-width: 700px) {
  body { padding: 12px; }
  h1 { font-size: 24px; } .verdict { font-size: 24px; }
  table.results, table.results tbody, table.results tr, table.results td { display: block; width: auto; }
  table.results colgroup, table.results thead { display: none; }
  table.results tr { border-bottom: 1px solid #d0d5dd; padding: 6px 0; }
  table.results td { border: 0; padding: 2px 4px; }
  dl.method { grid-template-columns: 1fr; gap: 2px; } dl.method dd { margin-bottom: 8px; }
}
/* On paper everything shows: collapsed evidence, fixes and lists open; nothing scrolls. */
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  details::details-content { content-visibility: visible; display: block; }
  summary { list-style: none; font-weight: 600; } summary::-webkit-details-marker { display: none; }
  .scroll { overflow: visible; }
  code, pre { font-size: 8.5pt; }
  table.results col.status { width: 70px; } table.results col.check { width: 150px; } table.results col.resource { width: 140px; }
  li, pre, dt, dd, .risk { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}
div.needs-edit { color: var(--yellow); font-weight: 600; margin-top: 6px; } pre.needs-edit { border-left: 4px solid #f79009; }
`;

/** A self-contained page (no script, no external resource) for auditors: every verdict with its evidence, on screen and on paper. */
export function htmlReporter(report: Report): string {
  return htmlChunks(report).join('');
}

/** `htmlReporter`'s page in pieces of a few thousand characters, to write as they are (none is joined into one string). */
export function htmlChunks(report: Report): string[] {
  const verdict = verdictLabel(report);
  const body = new Pieces();
  body.line(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(`${verdict} ${formatScore(report.score)} — ${report.project} readiness`)}</title>
<style>${STYLE}${printHeader(report, verdict)}</style>
</head>
<body>`);
  body.line(`<h1>Production Readiness Assessment — ${esc(report.project)}</h1>`);
  body.line(`<p class="meta">${describeSource(report).map(esc).join(' · ')} · readiness ${esc(report.tool.version)}</p>`);
  body.line(`<p class="verdict ${report.band}" id="verdict">${dot(report.band)} ${formatScore(report.score)} — ${verdict}</p>`);
  body.line(`<p>Gate: score ≥ ${report.gate.minScore}% and no open ${esc(report.gate.failOn)}-or-worse finding. ${report.summary.pass} passed · ${report.summary.fail} failed · ${report.summary.unverified} unverified · ${report.summary.waived} waived · ${report.summary.not_applicable} not applicable.</p>`);
  body.line(`<p id="recommendation"><strong>Recommendation:</strong> ${esc(recommendationText(report))}</p>`);
  if (report.notAssessed.length) body.line(`<p class="banner">Not assessed (absent from the config): ${report.notAssessed.map(esc).join(', ')}</p>`);
  const notes = scopeNotes(report);
  if (notes.length) body.line(`<ul class="banner" id="scope">${notes.map((note) => `<li>${esc(note)}</li>`).join('')}</ul>`);

  body.line(scroll('<table id="sections"><thead><tr><th>Section</th><th>Score</th><th>Status</th><th>Passed</th><th>Failed</th><th>Unverified</th></tr></thead><tbody>'));
  for (const s of report.sections) {
    body.line(`<tr><td>${esc(s.title)}</td><td class="num">${formatScore(s.score)}</td><td>${s.assessed ? `${dot(s.band)} ${BAND_WORD[s.band]}` : 'not assessed'}</td><td class="num">${s.counts.pass}</td><td class="num">${s.counts.fail}</td><td class="num">${s.counts.unverified}</td></tr>`);
  }
  body.line('</tbody></table></div>');
  const accounts = accountRows(report);
  if (accounts.length) {
    body.line('<h2>Accounts and projects</h2><table id="accounts"><thead><tr><th>Account</th><th>Score</th><th>Status</th><th>Sections</th><th>Passed</th><th>Failed</th><th>Unverified</th></tr></thead><tbody>');
    for (const a of accounts) {
      body.line(`<tr><td>${esc(a.label)}</td><td class="num">${a.score}</td><td>${dot(a.band)} ${BAND_WORD[a.band]}</td><td>${esc(a.sections)}</td><td class="num">${a.counts.pass}</td><td class="num">${a.counts.fail}</td><td class="num">${a.counts.unverified}</td></tr>`);
    }
    body.line('</tbody></table>');
  }

  if (report.blockers.length) {
    body.line('<h2>Blockers</h2><ol id="blockers">');
    for (const group of Map.groupBy(report.blockers, (b) => b.checkId).values()) {
      const first = group[0]!;
      let items = '';
      for (const b of group.slice(0, FULL_OPEN_ROWS)) items += `<li><code>${esc(b.resource)}</code>: ${esc(b.message)}${b.status === 'unverified' ? ' <em>(unverified)</em>' : ''}</li>`;
      if (group.length > FULL_OPEN_ROWS) items += `<li>… and ${count(group.length - FULL_OPEN_ROWS)} more, listed in the section below</li>`;
      body.line(`<li><strong>${esc(first.title)}</strong> <code>${esc(first.checkId)}</code><div class="risk"><strong>Risk:</strong> ${esc(first.risk)}</div><ul>${items}</ul></li>`);
    }
    body.line('</ol>');
  }
  if (report.expiredWaivers.length) {
    body.line('<h2>Expired waivers</h2><ul>');
    for (const w of report.expiredWaivers) body.line(`<li><code>${esc(w.check)}</code> expired ${esc(w.expires)} (approved by ${esc(w.approvedBy)}: ${esc(w.reason)})</li>`);
    body.line('</ul>');
  }

  const bySection = resultsBySection(report);
  for (const section of report.sections) {
    body.line(`<h2 id="section-${section.id}">${esc(section.title)} — ${section.assessed ? `${dot(section.band)} ${formatScore(section.score)}` : 'not assessed'}</h2>`);
    body.line(`<p>${dot(section.assessed ? section.band : 'red')} <strong>${esc(sectionAnswer(report, section.id, NO_ICONS).trim())}</strong></p>`);
    body.line(RESULTS_TABLE_HEAD);
    const results = inStatusOrder(bySection.get(section.id) ?? []);
    const { full, more } = summarise(results);
    for (const r of full) body.line(row(r));
    for (const [checkId, rest] of more) moreRow(body, checkId, rest);
    body.line('</tbody></table>');
  }

  // Unscored results of a listed section (e.g. aws.s3.unlisted-buckets) are already in its table.
  const listed = new Set(report.sections.map((s) => s.id));
  const informational: Result[] = [];
  const waived: Result[] = [];
  const attested: Result[] = [];
  for (const r of report.results) {
    if (!r.scored && !listed.has(r.section)) informational.push(r);
    if (r.waiver) waived.push(r);
    if (typeof r.evidence.by === 'string' && typeof r.evidence.evidence === 'string' && typeof r.evidence.date === 'string') attested.push(r);
  }
  if (informational.length) {
    body.line('<h2 id="information">Cost and other information (not scored)</h2>');
    body.line(RESULTS_TABLE_HEAD);
    for (const r of informational) body.line(row(r));
    body.line('</tbody></table>');
  }

  body.lines(waiversAndAttestations(report, waived, attested));
  body.lines(hipaa(report));

  body.line('<h2 id="critical-path">Critical path to production</h2>');
  const path = criticalPath(report);
  if (path.length === 0) body.line('<p>Nothing open.</p>');
  else body.line(`<p><strong>Estimated effort:</strong> ${esc(formatPathEffort(path))}.</p>`);
  for (const phase of path) {
    body.line(`<h3>Phase ${phase.phase}: ${esc(phase.title)} — ${esc(formatPhaseEffort(phase))}</h3><ol>`);
    for (const step of phase.steps) {
      const resources = step.resources.slice(0, FULL_OPEN_ROWS).map((r) => `<code>${esc(r)}</code>`).join(', ') + andMore(step.resources.length, 'resources');
      body.line(`<li><strong>${esc(step.title)}</strong> (${esc(step.effortLabel ?? formatEffort(step.effortMinutes))}) — ${resources}<br>${esc(step.text)}`);
      if (step.commands.length) body.line(`<pre>${esc(commandLines(step.commands.slice(0, FULL_OPEN_ROWS)).join('\n'))}${andMore(step.commands.length, 'commands (in the Markdown report)', '\n')}</pre>`);
      body.line('</li>');
    }
    body.line('</ol>');
  }

  body.line('<h2 id="recommendations">Recommendations</h2>');
  body.line(`<p><strong>${report.verdict === 'READY' ? 'Ready for production.' : 'Do not go to production yet.'}</strong></p>`);
  if (report.blockers.length) body.line(`<p>Critical blockers:</p><ol>${[...new Set(report.blockers.map((b) => b.title))].map((title) => `<li>${esc(title)}</li>`).join('')}</ol>`);

  body.line('<h2 id="answers">Answers</h2><dl class="answers">');
  for (const section of report.sections) {
    const question = QUESTIONS[section.id];
    if (question) body.line(`<dt>Q: ${esc(question)}</dt><dd>A: ${esc(sectionAnswer(report, section.id, NO_ICONS).trim())}</dd>`);
  }
  body.line('</dl>');

  body.lines(methodology(report));
  body.lines(signOff(report));
  body.line(`<p class="meta">Generated by readiness ${esc(report.tool.version)} at ${esc(report.generatedAt)}. Every verdict above comes from the evidence shown; unverified counts as not passed.</p>`);
  body.line('</body>\n</html>');
  return body.done();
}

/** The running header and the page numbers of the printed document, in the page's margin boxes. */
function printHeader(report: Report, verdict: string): string {
  const left = cssString(`${report.project} — production readiness`);
  const right = cssString(`${report.generatedAt.slice(0, 10)} · ${verdict} ${formatScore(report.score)}`);
  return `@page { size: A4; margin: 18mm 14mm 16mm;
  @top-left { content: ${left}; font: 9pt system-ui, sans-serif; color: #667085; }
  @top-right { content: ${right}; font: 9pt system-ui, sans-serif; color: #667085; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 9pt system-ui, sans-serif; color: #667085; }
}
`;
}

function describeSource(report: Report): string[] {
  const { source } = report;
  const parts = [report.generatedAt, source.kind === 'live' ? 'live environment' : source.kind === 'demo' ? 'bundled demo environment (offline)' : `snapshot ${source.snapshot}`];
  if (source.collectedAt) parts.push(`collected ${source.collectedAt}`);
  if (source.account) parts.push(`AWS account ${source.account}`);
  if (source.principal) parts.push(`as ${source.principal}`);
  if (source.region) parts.push(`region ${source.region}`);
  return parts;
}

/** Every waiver in force and every attestation, in one place each, with who approved or signed and the evidence's hash. */
function waiversAndAttestations(report: Report, waived: readonly Result[], attested: readonly Result[]): string[] {
  const out: string[] = [];
  if (waived.length) {
    out.push('<h2 id="waivers">Waivers</h2>');
    out.push(scroll('<table class="list"><thead><tr><th>Check</th><th>Resource</th><th>Approved by</th><th>Until</th><th>Reason</th></tr></thead><tbody>'));
    for (const r of waived.slice(0, FULL_OPEN_ROWS * 10)) {
      const w = r.waiver!;
      out.push(`<tr><td><code>${esc(r.checkId)}</code></td><td><code>${esc(r.resource)}</code></td><td>${esc(w.approvedBy)}</td><td>${esc(w.expires)}${w.expired ? ' (expired)' : ''}</td><td>${esc(w.reason)}</td></tr>`);
    }
    out.push('</tbody></table></div>');
    if (waived.length > FULL_OPEN_ROWS * 10) out.push(`<p>… and ${count(waived.length - FULL_OPEN_ROWS * 10)} more waived results, in the Markdown and JSON reports.</p>`);
  }
  if (attested.length) {
    out.push('<h2 id="attestations">Attestations</h2>');
    out.push(scroll('<table class="list"><thead><tr><th>Attestation</th><th>Status</th><th>Signed by</th><th>Date</th><th>Evidence</th><th>sha256</th></tr></thead><tbody>'));
    for (const r of attested) {
      const e = r.evidence;
      out.push(`<tr><td><code>${esc(r.resource)}</code></td><td class="status-${r.status}">${STATUS_MARK[r.status]} ${r.status.replace('_', ' ')}</td><td>${esc(String(e.by))}</td><td>${esc(String(e.date))}${e.expires ? `, expires ${esc(String(e.expires))}` : ''}</td><td><code>${esc(String(e.evidence))}</code></td><td><code class="hash">${e.sha256 ? esc(String(e.sha256)) : '—'}</code></td></tr>`);
    }
    out.push('</tbody></table></div>');
  }
  return out;
}

/** The seed's HIPAA view: per layer the share of checks that pass, and per 45 CFR citation the checks that cover it. */
function hipaa(report: Report): string[] {
  const out = ['<h2 id="hipaa">HIPAA Compliance Assessment</h2>'];
  for (const { layer, title, percent, passed, checks } of hipaaLayers(report)) {
    out.push(`<h3 id="hipaa-${layer}">${title}: ${dot(percent >= 90 ? 'green' : percent >= 70 ? 'yellow' : 'red')} ${percent}% (${passed}/${checks.length} checks)</h3><ul class="checks">`);
    for (const c of checks) out.push(`<li><span class="status-${c.status}">${STATUS_MARK[c.status]}</span> ${esc(c.title)}${c.hipaa.length ? ` <span class="meta">(45 CFR ${c.hipaa.map(esc).join(', ')})</span>` : ''}</li>`);
    out.push('</ul>');
  }
  const citations = hipaaCitations(report);
  if (citations.length) {
    out.push('<h3>By 45 CFR citation</h3>');
    out.push(scroll('<table class="list" id="citations"><thead><tr><th>45 CFR</th><th>Checks that cover it</th></tr></thead><tbody>'));
    for (const { citation, checks } of citations) {
      out.push(`<tr><td>§ ${esc(citation)}</td><td>${checks.map((c) => `<span class="status-${c.status}">${STATUS_MARK[c.status]}</span> <code>${esc(c.checkId)}</code>`).join('<br>')}</td></tr>`);
    }
    out.push('</tbody></table></div>');
  }
  return out;
}

/** What was read, when, as whom and with which permissions, and what the assessment did not cover. */
function methodology(report: Report): string[] {
  const { source } = report;
  const out = ['<h2 id="methodology">Methodology</h2>'];
  const how = source.kind === 'live' ? 'Read from the live environment through read-only APIs (Describe, List, Get); nothing was changed.' : source.kind === 'demo' ? 'Replayed from the bundled demo snapshot (offline).' : `Evaluated offline from the snapshot ${source.snapshot ?? ''}, recorded by \`readiness collect\` through read-only APIs.`;
  out.push('<dl class="method">');
  out.push(`<dt>How</dt><dd>${esc(how)}</dd>`);
  out.push(`<dt>When</dt><dd>${source.collectedAt ? `collected ${esc(source.collectedAt)}, ` : ''}evaluated ${esc(report.generatedAt)}</dd>`);
  out.push(`<dt>As whom</dt><dd>${source.principal ? `<code>${esc(source.principal)}</code>` : 'no AWS caller identity recorded'}${source.account ? ` in AWS account ${esc(source.account)}` : ''}${source.region ? `, region ${esc(source.region)}` : ''}</dd>`);
  out.push(`<dt>Gate</dt><dd>score ≥ ${report.gate.minScore}% and no open ${esc(report.gate.failOn)}-or-worse finding; unverified counts as not passed</dd>`);
  const outOfScope = [...report.notAssessed.map((id) => `${SECTIONS[id]}: absent from the config`), ...scopeNotes(report)];
  out.push(`<dt>Out of scope</dt><dd>${outOfScope.length ? `<ul>${outOfScope.map((line) => `<li>${esc(line)}</li>`).join('')}</ul>` : 'every section of the catalog was assessed'}. The tool reads configuration and recorded evidence; it does not test application code paths, review the content of policies, or interview staff.</dd>`);
  out.push('</dl>');
  const facts = report.audit?.facts ?? [];
  if (facts.length) {
    const permissions = [...new Set(facts.flatMap((f) => f.permissions))].sort();
    out.push(`<p>What was read: ${facts.length} facts${permissions.length ? `, with ${permissions.length} read-only permissions` : ''}${facts.some((f) => !f.read) ? `; ${facts.filter((f) => !f.read).length} could not be read (their checks are unverified)` : ''}.</p>`);
    out.push(scroll('<table class="list" id="facts"><thead><tr><th>Fact</th><th>What</th><th>Permissions</th><th>Read</th></tr></thead><tbody>'));
    for (const f of facts) out.push(`<tr><td><code>${esc(f.id)}</code></td><td>${esc(f.description)}</td><td>${f.permissions.length ? f.permissions.map((p) => `<code>${esc(p)}</code>`).join(' ') : '—'}</td><td>${f.read ? 'yes' : '<strong>no</strong>'}</td></tr>`);
    out.push('</tbody></table></div>');
  }
  return out;
}

/** Prepared by, reviewed by, date and next review: from `report:` in the config, else lines to sign. */
function signOff(report: Report): string[] {
  const given = report.audit?.signOff ?? {};
  const line = (value: string | undefined) => (value ? esc(value) : '<span class="blank" aria-label="to be filled in"></span>');
  return [
    '<h2 id="sign-off">Sign-off</h2>',
    '<table class="sign-off"><tbody>',
    ...[
      ['Prepared by', line(given.preparedBy)],
      ['Reviewed by', line(given.reviewedBy)],
      ['Report date', esc(report.generatedAt.slice(0, 10))],
      ['Reviewed on', line(undefined)],
      ['Next review', line(given.nextReview)],
      ['Signature', line(undefined)],
    ].map(([label, value]) => `<tr><th scope="row">${label}</th><td>${value}</td></tr>`),
    '</tbody></table>',
  ];
}

/** A wide table scrolls sideways on a narrow screen instead of squeezing its columns to nothing. */
function scroll(tableOpen: string): string {
  return `<div class="scroll" tabindex="0">${tableOpen}`;
}

/** A CSS string literal for text from the environment: plain characters as they are, the rest as escapes (each ends with the space CSS consumes). */
function cssString(text: string): string {
  return `"${[...text].map((c) => (/[A-Za-z0-9 .,:()%_-]/.test(c) ? c : `\\${c.codePointAt(0)!.toString(16)} `)).join('')}"`;
}

function row(r: Result): string {
  const details: string[] = [];
  if (isOpen(r)) {
    details.push(`<div class="risk"><strong>Risk:</strong> ${esc(r.risk)}</div>`);
    details.push(`<div>${esc(r.remediation.text)} (${esc(r.remediation.effortLabel ?? formatEffort(r.remediation.effortMinutes))})</div>`);
    const command = r.remediation.command;
    const note = command && commandNote(command);
    if (note) details.push(`<div class="needs-edit">${esc(note)}</div>`);
    if (command) details.push(`<pre${note ? ' class="needs-edit"' : ''}>${esc(command)}</pre>`);
  }
  const evidence = evidenceText(r.evidence);
  if (evidence) details.push(`<div class="evidence">${evidence}</div>`);
  if (r.waiver) details.push(`<div class="evidence">Waiver${r.waiver.expired ? ' (EXPIRED)' : ''}: ${esc(r.waiver.reason)} — ${esc(r.waiver.approvedBy)}, until ${esc(r.waiver.expires)}</div>`);
  const cite = r.hipaa.length ? ` · 45 CFR ${r.hipaa.map(esc).join(', ')}` : '';
  return `<tr class="result" data-check="${esc(r.checkId)}" data-status="${r.status}"><td class="status-${r.status}">${STATUS_MARK[r.status]} ${r.status.replace('_', ' ')}</td><td><code>${esc(r.checkId)}</code><br><span class="meta">${esc(r.severity)}${cite}</span></td><td><code>${esc(r.resource)}</code></td><td>${esc(r.message)}${details.length ? `<details${isOpen(r) ? ' open' : ''}><summary>${isOpen(r) ? 'Fix and evidence' : 'Evidence'}</summary>${details.join('')}</details>` : ''}</td></tr>`;
}

/** Per check, at most this many open (or waived) findings and this many passed or n/a results get a full row. */
const FULL_OPEN_ROWS = 50;
const FULL_CLOSED_ROWS = 10;

/** Rows in full up to the limits; the rest of each check's results listed by name, so a 100k-resource page stays a few MB. */
function summarise(results: readonly Result[]): { full: Result[]; more: Map<string, Result[]> } {
  const shown = new Map<string, { open: number; closed: number }>();
  const full: Result[] = [];
  const more = new Map<string, Result[]>();
  for (const r of results) {
    let counts = shown.get(r.checkId);
    if (!counts) shown.set(r.checkId, (counts = { open: 0, closed: 0 }));
    const open = isOpen(r) || r.status === 'waived';
    if (open ? counts.open++ < FULL_OPEN_ROWS : counts.closed++ < FULL_CLOSED_ROWS) {
      full.push(r);
      continue;
    }
    const list = more.get(r.checkId);
    if (list) list.push(r);
    else more.set(r.checkId, [r]);
  }
  return { full, more };
}

function andMore(total: number, what: string, separator = ' '): string {
  return total > FULL_OPEN_ROWS ? `${separator}… and ${count(total - FULL_OPEN_ROWS)} more ${what}` : '';
}

/** The rest of a check's results, by name and status, as one row (written part by part: a list can hold thousands). */
function moreRow(page: Pieces, checkId: string, rest: readonly Result[]): void {
  const byStatus = inStatusOrder(rest, true);
  const counts = STATUS_ORDER.map((status, i) => [status, byStatus[i]!] as const).filter(([, list]) => list.length > 0);
  const label = counts.map(([status, list]) => `${count(list.length)} ${status.replace('_', ' ')}`).join(', ');
  page.add(`<tr class="more" data-check="${esc(checkId)}"><td>+ ${count(rest.length)}</td><td><code>${esc(checkId)}</code></td><td>${count(rest.length)} more resources</td><td><details><summary>${label} (by name: each message, its evidence and its fix are in the Markdown and JSON reports)</summary>`);
  for (const [status, list] of counts) {
    page.add(`<p><span class="status-${status}">${STATUS_MARK[status as Status]} ${status.replace('_', ' ')}</span>: `);
    for (let i = 0; i < list.length; i++) page.add(`${i === 0 ? '' : ', '}<code>${esc(list[i]!.resource)}</code>`);
    page.add('</p>');
  }
  page.line('</details></td></tr>');
}

/** A count as `toLocaleString('en')` writes it ("12,345"), without loading ICU's number formatting (tens of ms). */
const count = (n: number): string => String(n).replace(/\B(?=(\d{3})+$)/g, ',');

function evidenceText(evidence: Evidence): string {
  return Object.entries(evidence)
    .map(([key, value]) => `${esc(key)}: <code>${esc(Array.isArray(value) ? value.join(', ') : String(value))}</code>`)
    .join(' · ');
}

// Drawn with CSS and plain glyphs, not emoji: the page must read the same on a machine without an emoji font.
const BAND_WORD: Record<Band, string> = { green: 'ready', yellow: 'not ready', red: 'not ready' };
const NO_ICONS: Record<Band, string> = { green: '', yellow: '', red: '' };
const STATUS_MARK: Record<Status, string> = { pass: '✓', fail: '✗', unverified: '?', not_applicable: '–', waived: '~' };
const dot = (band: Band) => `<span class="dot ${band}" aria-hidden="true"></span>`;

const RESULTS_TABLE_HEAD = '<table class="results"><colgroup><col class="status"><col class="check"><col class="resource"><col></colgroup><thead><tr><th>Status</th><th>Check</th><th>Resource</th><th>Finding</th></tr></thead><tbody>';

/** Sorted by status, in the order given within each status (what a stable sort would give, in one pass). */
function inStatusOrder(results: readonly Result[]): Result[];
/** Per status of STATUS_ORDER, its results in the order given (a status outside it is left out). */
function inStatusOrder(results: readonly Result[], grouped: true): Result[][];
function inStatusOrder(results: readonly Result[], grouped = false): Result[] | Result[][] {
  const byStatus: Result[][] = STATUS_ORDER.map(() => []);
  const unknown: Result[] = [];
  for (const r of results) (byStatus[statusRank(r.status)] ?? unknown).push(r);
  return grouped ? byStatus : unknown.concat(...byStatus);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const HTML_SPECIAL = /[&<>"']/;

/** Most text holds none of the five: it is returned as it is, without a replacement pass. */
function esc(text: string): string {
  return HTML_SPECIAL.test(text) ? text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!) : text;
}
