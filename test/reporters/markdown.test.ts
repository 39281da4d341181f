import fc from 'fast-check';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { math, mathHtml } from 'micromark-extension-math';
import { describe, expect, it } from 'vitest';
import { collectors } from '../../src/collectors/index.js';
import { DEMO_CONFIG, DEMO_SNAPSHOT } from '../../src/commands/setup.js';
import { loadConfig } from '../../src/config/load.js';
import { buildReport } from '../../src/engine/run.js';
import type { Report, Result } from '../../src/model.js';
import { markdownReporter } from '../../src/reporters/markdown.js';
import { readSnapshot } from '../../src/snapshot.js';
import { allChecks } from '../../checks/index.js';
import { demoReport } from '../support/demo.js';

const SEED = Number(process.env.READINESS_FUZZ_SEED ?? 20261203);

/** The Markdown as GitHub renders a report or a step summary: CommonMark, its extensions and math, raw HTML let through. */
function render(markdown: string): string {
  return micromark(markdown, { extensions: [gfm(), math()], htmlExtensions: [gfmHtml(), mathHtml()], allowDangerousHtml: true });
}

/** What a reader of the rendered page sees: its text, without the tags, entities read. */
function visible(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** Markup that only the report itself may write. */
function reportMarkup(html: string): string[] {
  return [...html.matchAll(/<(img|script|del|span|input|table|h[1-6]|blockquote|hr)\b[^>]*>/g)].map((m) => m[0]);
}

/**
 * Links whose text is not where they lead. A URL in a name may be shown as a link to itself (GitHub links bare URLs);
 * a name must never make a link that says one thing and leads to another.
 */
function deceptiveLinks(html: string): string[] {
  return [...html.matchAll(/<a href="([^"]*)">([\s\S]*?)<\/a>/g)]
    .filter(([, href, text]) => ![visible(text!), `http://${visible(text!)}`, `mailto:${visible(text!)}`].includes(visible(href!)))
    .map((m) => m[0]);
}

/**
 * The demo's report with `name` as the resource, and in the message, of a blocker, a passed and a waived result, of
 * an informational one's message (which starts a paragraph) and evidence (a table cell), of an unverified result's own
 * remediation text, and as the project, a waiver's reason and an expired waiver's resource.
 */
async function reportNaming(name: string): Promise<Report> {
  const report = await demoReport({
    configure: (loaded) => {
      loaded.config.waivers.push({ check: 'aws.rds.force-ssl', resource: 'mentalspaceehrstack-databaseb269d8bb', reason: `see ${name}`, approvedBy: 'cto@example.com', expires: '2099-01-01' });
      loaded.config.waivers.push({ check: 'aws.iam.root-mfa', resource: name, reason: 'old', approvedBy: 'cto@example.com', expires: '2000-01-01' });
    },
  });
  const blocker = report.blockers[0]!;
  const renamed = new Map<Result, Result>();
  const rename = (r: Result, changes: Partial<Result>) => renamed.set(r, { ...r, ...changes });
  rename(blocker, { resource: name, message: `blocked: ${name} end` });
  rename(report.results.find((r) => r.status === 'pass' && r.scored)!, { resource: name, message: `passed: ${name} end` });
  const info = report.results.find((r) => !r.scored)!;
  rename(info, { message: name, evidence: { ...info.evidence, item: name } });
  const unverified = report.results.find((r) => r.status === 'unverified' && r.scored)!;
  rename(unverified, { remediation: { ...unverified.remediation, text: `grant access to ${name} end` } });
  const results = report.results.map((r) => renamed.get(r) ?? r);
  return { ...report, project: name, results, blockers: report.blockers.map((b) => renamed.get(b) ?? b) };
}

/** What the rendered report must show of `name`, each exactly as it is. */
function shown(name: string): string[] {
  return [`${name}: blocked: ${name} end`, `${name}: passed: ${name} end`, `grant access to ${name} end`, `see ${name}`, `Production Readiness Assessment — ${name}`];
}

describe('markdown report: names from the environment are data, not markup', () => {
  it('shows a hostile name as written: no link, image, HTML, emphasis, code break-out, math or table cell comes from it', async () => {
    const name = 'x` ✅ **all passed** [verify](https://evil.example) ![](https://evil.example/t.png) <img src=x onerror=alert(1)> $\\pi$ ~~no~~ | cell &amp; `` y\\';
    const markdown = markdownReporter(await reportNaming(name));
    const html = render(markdown);
    const text = visible(html);
    for (const expected of shown(name)) expect(text).toContain(expected);
    expect(html).not.toMatch(/<img|<del>|class="math/);
    expect(deceptiveLinks(html)).toEqual([]);
    // The report's own markup is what it has with a plain name; none is added.
    expect(reportMarkup(html)).toEqual(reportMarkup(render(markdownReporter(await reportNaming('plain-name')))));
  });

  it('keeps a name that starts a paragraph from becoming a heading, a list, a quote or a rule', async () => {
    for (const name of ['# heading', '1. item', '2) item', '- item', '+ item', '> quote', '---', '===', '<div>block</div>']) {
      const html = render(markdownReporter(await reportNaming(name)));
      expect(html, name).toContain(`<p>${name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`);
    }
  });

  it('shows any name of markup characters exactly as written, in code, in text and in a table cell', async () => {
    const base = await demoReport();
    const unit = fc.constantFrom(...'`*_~[]()<>|&$#!\\-+=.:/;" \'ab1é😀'.split(/(?:)/u));
    const names = fc.string({ unit, minLength: 1, maxLength: 24 }).filter((name) => name.trim() === name);
    fc.assert(
      fc.property(names, (name) => {
        const blocker = base.blockers[0]!;
        const info = base.results.find((r) => !r.scored)!;
        const renamed = new Map<Result, Result>([
          [blocker, { ...blocker, resource: name, message: `blocked: ${name} end` }],
          [info, { ...info, evidence: { item: name } }],
        ]);
        // Only the two results: the report stays a few lines, so a run is quick.
        const report = { ...base, results: [...renamed.values()], blockers: [renamed.get(blocker)!] };
        const html = render(markdownReporter(report));
        expect(visible(html)).toContain(`${name}: blocked: ${name} end`);
        const row = /<tr>\s*<td>item<\/td>\s*<td[^>]*>([\s\S]*?)<\/td>\s*<\/tr>/.exec(html);
        expect(row && visible(row[1]!)).toBe(name);
        expect(html).not.toMatch(/<img|<del>|class="math/);
        expect(deceptiveLinks(html)).toEqual([]);
      }),
      { seed: SEED, numRuns: Number(process.env.READINESS_FUZZ_RUNS ?? 300) },
    );
  });

  it('shows a name in code exactly, with backticks or spaces at its ends', async () => {
    const base = await demoReport();
    const blocker = base.blockers[0]!;
    for (const name of [' x ', '`x`', ' `x` ', '``', '` `', 'a``b', ' ']) {
      const changed = { ...blocker, resource: name };
      const html = render(markdownReporter({ ...base, results: [changed], blockers: [changed] }));
      expect(html, JSON.stringify(name)).toContain(`<code>${name}</code>: ${blocker.message}`);
    }
  });

  it('shows a name as evaluated from a snapshot: a security group named with markup', async () => {
    const name = 'ops** [login](https://evil.example) `x`';
    const loaded = await loadConfig(DEMO_CONFIG);
    const known = new Map([...collectors.values()].map((c) => [c.fact.id, c.fact]));
    const { snapshot, facts } = await readSnapshot(DEMO_SNAPSHOT, known);
    const groups = facts.get('aws.ec2.security-groups');
    if (!groups?.ok) throw new Error('the demo snapshot has no security groups');
    const [first, ...rest] = groups.value as { name: string }[];
    facts.set('aws.ec2.security-groups', { ...groups, value: [{ ...first!, name }, ...rest] });
    const report = buildReport({ loaded, checks: allChecks, outcomes: facts, now: new Date(snapshot.collectedAt), source: { kind: 'demo', snapshot: DEMO_SNAPSHOT, collectedAt: snapshot.collectedAt } });
    const html = render(markdownReporter(report));
    expect(visible(html)).toContain(`Security group ${name} does not open SSH or RDP to the world`);
    expect(deceptiveLinks(html)).toEqual([]);
  });
});
