import type { Band, Evidence, Report, Result, Status } from '../model.js';
import { criticalPath, formatEffort, formatScore, isOpen, resultsBySection, scopeNotes, sectionAnswer, accountRows } from './shared.js';

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
@media print { details { display: block; } details > summary { display: none; } }
`;

/** A self-contained page (no script, no external resource) for auditors: every verdict with its evidence. */
export function htmlReporter(report: Report): string {
  const verdict = report.verdict === 'READY' ? 'READY' : 'NOT READY';
  const body: string[] = [];
  body.push(`<h1>Production Readiness Assessment — ${esc(report.project)}</h1>`);
  body.push(`<p class="meta">${esc(report.generatedAt)} · ${esc(report.source.kind)}${report.source.account ? ` · AWS account ${esc(report.source.account)}` : ''} · readiness ${esc(report.tool.version)}</p>`);
  body.push(`<p class="verdict ${report.band}" id="verdict">${dot(report.band)} ${formatScore(report.score)} — ${verdict}</p>`);
  body.push(`<p>Gate: score ≥ ${report.gate.minScore}% and no open ${esc(report.gate.failOn)}-or-worse finding. ${report.summary.pass} passed · ${report.summary.fail} failed · ${report.summary.unverified} unverified · ${report.summary.waived} waived · ${report.summary.not_applicable} not applicable.</p>`);
  if (report.notAssessed.length) body.push(`<p class="banner">Not assessed (absent from the config): ${report.notAssessed.map(esc).join(', ')}</p>`);
  const notes = scopeNotes(report);
  if (notes.length) body.push(`<ul class="banner" id="scope">${notes.map((note) => `<li>${esc(note)}</li>`).join('')}</ul>`);

  body.push('<table id="sections"><thead><tr><th>Section</th><th>Score</th><th>Status</th><th>Passed</th><th>Failed</th><th>Unverified</th></tr></thead><tbody>');
  for (const s of report.sections) {
    body.push(`<tr><td>${esc(s.title)}</td><td class="num">${formatScore(s.score)}</td><td>${s.assessed ? `${dot(s.band)} ${BAND_WORD[s.band]}` : 'not assessed'}</td><td class="num">${s.counts.pass}</td><td class="num">${s.counts.fail}</td><td class="num">${s.counts.unverified}</td></tr>`);
  }
  body.push('</tbody></table>');
  const accounts = accountRows(report);
  if (accounts.length) {
    body.push('<h2>Accounts and projects</h2><table id="accounts"><thead><tr><th>Account</th><th>Score</th><th>Status</th><th>Sections</th><th>Passed</th><th>Failed</th><th>Unverified</th></tr></thead><tbody>');
    for (const a of accounts) {
      body.push(`<tr><td>${esc(a.label)}</td><td class="num">${a.score}</td><td>${dot(a.band)} ${BAND_WORD[a.band]}</td><td>${esc(a.sections)}</td><td class="num">${a.counts.pass}</td><td class="num">${a.counts.fail}</td><td class="num">${a.counts.unverified}</td></tr>`);
    }
    body.push('</tbody></table>');
  }

  if (report.blockers.length) {
    body.push('<h2>Blockers</h2><ol id="blockers">');
    for (const group of Map.groupBy(report.blockers, (b) => b.checkId).values()) {
      const first = group[0]!;
      const items = group.slice(0, FULL_OPEN_ROWS).map((b) => `<li><code>${esc(b.resource)}</code>: ${esc(b.message)}${b.status === 'unverified' ? ' <em>(unverified)</em>' : ''}</li>`);
      if (group.length > FULL_OPEN_ROWS) items.push(`<li>… and ${(group.length - FULL_OPEN_ROWS).toLocaleString('en')} more, listed in the section below</li>`);
      body.push(`<li><strong>${esc(first.title)}</strong> <code>${esc(first.checkId)}</code><ul>${items.join('')}</ul></li>`);
    }
    body.push('</ol>');
  }
  if (report.expiredWaivers.length) {
    body.push('<h2>Expired waivers</h2><ul>');
    for (const w of report.expiredWaivers) body.push(`<li><code>${esc(w.check)}</code> expired ${esc(w.expires)} (approved by ${esc(w.approvedBy)}: ${esc(w.reason)})</li>`);
    body.push('</ul>');
  }

  const bySection = resultsBySection(report);
  for (const section of report.sections) {
    body.push(`<h2 id="section-${section.id}">${esc(section.title)} — ${section.assessed ? `${dot(section.band)} ${formatScore(section.score)}` : 'not assessed'}</h2>`);
    body.push(`<p>${dot(section.assessed ? section.band : 'red')} <strong>${esc(sectionAnswer(report, section.id, NO_ICONS).trim())}</strong></p>`);
    body.push(RESULTS_TABLE_HEAD);
    const results = [...(bySection.get(section.id) ?? [])].sort((a, b) => order(a) - order(b));
    const { full, more } = summarise(results);
    for (const r of full) body.push(row(r));
    for (const [checkId, rest] of more) body.push(moreRow(checkId, rest));
    body.push('</tbody></table>');
  }

  // Unscored results of a listed section (e.g. aws.s3.unlisted-buckets) are already in its table.
  const listed = new Set(report.sections.map((s) => s.id));
  const informational = report.results.filter((r) => !r.scored && !listed.has(r.section));
  if (informational.length) {
    body.push('<h2 id="information">Cost and other information (not scored)</h2>');
    body.push(RESULTS_TABLE_HEAD);
    for (const r of informational) body.push(row(r));
    body.push('</tbody></table>');
  }

  body.push('<h2 id="critical-path">Critical path to production</h2>');
  const path = criticalPath(report);
  if (path.length === 0) body.push('<p>Nothing open.</p>');
  for (const phase of path) {
    body.push(`<h3>Phase ${phase.phase}: ${esc(phase.title)} — ${formatEffort(phase.effortMinutes)}</h3><ol>`);
    for (const step of phase.steps) {
      const resources = step.resources.slice(0, FULL_OPEN_ROWS).map((r) => `<code>${esc(r)}</code>`).join(', ') + andMore(step.resources.length, 'resources');
      body.push(`<li><strong>${esc(step.title)}</strong> (${esc(step.effortLabel ?? formatEffort(step.effortMinutes))}) — ${resources}<br>${esc(step.text)}`);
      if (step.commands.length) body.push(`<pre>${esc(step.commands.slice(0, FULL_OPEN_ROWS).join('\n'))}${andMore(step.commands.length, 'commands (in the Markdown report)', '\n')}</pre>`);
      body.push('</li>');
    }
    body.push('</ol>');
  }
  body.push(`<p class="meta">Generated by readiness ${esc(report.tool.version)}. Unverified counts as not passed.</p>`);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(`${verdict} ${formatScore(report.score)} — ${report.project} readiness`)}</title>
<style>${STYLE}</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}

function row(r: Result): string {
  const details: string[] = [];
  if (isOpen(r)) {
    details.push(`<div>${esc(r.remediation.text)} (${esc(r.remediation.effortLabel ?? formatEffort(r.remediation.effortMinutes))})</div>`);
    if (r.remediation.command) details.push(`<pre>${esc(r.remediation.command)}</pre>`);
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
    const counts = shown.get(r.checkId) ?? { open: 0, closed: 0 };
    shown.set(r.checkId, counts);
    const open = isOpen(r) || r.status === 'waived';
    if (open ? counts.open++ < FULL_OPEN_ROWS : counts.closed++ < FULL_CLOSED_ROWS) {
      full.push(r);
      continue;
    }
    const list = more.get(r.checkId) ?? [];
    list.push(r);
    more.set(r.checkId, list);
  }
  return { full, more };
}

function andMore(count: number, what: string, separator = ' '): string {
  return count > FULL_OPEN_ROWS ? `${separator}… and ${(count - FULL_OPEN_ROWS).toLocaleString('en')} more ${what}` : '';
}

function moreRow(checkId: string, rest: readonly Result[]): string {
  const counts = STATUS_ORDER.map((status) => [status, rest.filter((r) => r.status === status)] as const).filter(([, list]) => list.length > 0);
  const label = counts.map(([status, list]) => `${list.length.toLocaleString('en')} ${status.replace('_', ' ')}`).join(', ');
  const lists = counts.map(([status, list]) => `<p><span class="status-${status}">${STATUS_MARK[status as Status]} ${status.replace('_', ' ')}</span>: ${list.map((r) => `<code>${esc(r.resource)}</code>`).join(', ')}</p>`);
  return `<tr class="more" data-check="${esc(checkId)}"><td>+ ${rest.length.toLocaleString('en')}</td><td><code>${esc(checkId)}</code></td><td>${rest.length.toLocaleString('en')} more resources</td><td><details><summary>${label} (by name: each message, its evidence and its fix are in the Markdown and JSON reports)</summary>${lists.join('')}</details></td></tr>`;
}

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

const STATUS_ORDER = ['fail', 'unverified', 'waived', 'pass', 'not_applicable'];
function order(r: Result): number {
  return STATUS_ORDER.indexOf(r.status);
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
