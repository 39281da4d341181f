import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { collectors } from '../../src/collectors/index.js';
import { DEMO_CONFIG, DEMO_SNAPSHOT } from '../../src/commands/setup.js';
import { loadConfig } from '../../src/config/load.js';
import { buildReport } from '../../src/engine/run.js';
import type { Report } from '../../src/model.js';
import { htmlReporter } from '../../src/reporters/html.js';
import { criticalPath, hipaaCitations, hipaaLayers, QUESTIONS } from '../../src/reporters/shared.js';
import { readSnapshot } from '../../src/snapshot.js';

const run = promisify(execFile);
const CHROMIUM = '/usr/bin/chromium';
const PDFTOTEXT = '/usr/bin/pdftotext';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const APPROVER = 'Dana Whitfield (CISO)';
const WAIVER_REASON = 'Nightly snapshot copies replace deletion protection until the Q1 migration';
const SHA256 = 'c0ffee'.padEnd(64, '0');
// Evidence of a control that passed (aws.rds.storage-encrypted): shown only when its collapsed details open.
const PASSED_EVIDENCE = 'key/4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';

/** The demo's environment, assessed with a waiver, an attested vendor BAA and a sign-off in the config: what an auditor prints. */
async function auditedReport(dir: string): Promise<Report> {
  const config = join(dir, 'readiness.config.yaml');
  await writeFile(
    config,
    `${await readFile(DEMO_CONFIG, 'utf8')}
waivers:
  - { check: aws.rds.deletion-protection, reason: ${WAIVER_REASON}, approvedBy: ${APPROVER}, expires: 2026-01-31 }
attestations:
  twilio-baa: { signed: 2025-09-02, by: Twilio legal, evidence: docs/compliance/twilio-baa.pdf }
report: { preparedBy: Sam Rivera, reviewedBy: Priya Natarajan, nextReviewDays: 90 }
`,
  );
  const loaded = await loadConfig(config);
  const known = new Map([...collectors.values()].map((c) => [c.fact.id, c.fact]));
  const { snapshot, facts } = await readSnapshot(DEMO_SNAPSHOT, known);
  const outcomes = new Map(facts);
  outcomes.set('attestations', {
    ok: true,
    value: { 'twilio-baa': { date: '2025-09-02', by: 'Twilio legal', evidence: 'docs/compliance/twilio-baa.pdf', expires: null, evidenceSha256: SHA256, evidenceFound: true } },
  });
  return buildReport({ loaded, checks: allChecks, outcomes, now: new Date(snapshot.collectedAt), source: { kind: 'snapshot', snapshot: 'snapshot.json', collectedAt: snapshot.collectedAt } });
}

const squash = (text: string) => text.replace(/\s+/g, '');

// CI installs Debian's chromium and poppler-utils (.ci/run); a laptop without them skips, CI never does.
describe.skipIf((!existsSync(CHROMIUM) || !existsSync(PDFTOTEXT)) && process.env.CI !== 'true')('the auditor\'s document in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  let report: Report;
  let file: string;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    dir = await mkdtemp(join(tmpdir(), 'readiness-html-print-'));
    report = await auditedReport(dir);
    file = join(dir, 'readiness-report.html');
    await writeFile(file, htmlReporter(report));
  });
  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function open(width: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    return page;
  }

  it.each([1280, 390])('at %i px every table column is readable and the page never scrolls sideways', async (width) => {
    const page = await open(width);
    await page.screenshot({ path: join(dir, `report-${width}.png`), fullPage: false });
    // Run in the page (a string: this project's TypeScript has no DOM types).
    const cells = await page.evaluate<{ width: number; text: string; table: string }[]>(`
      [...document.querySelectorAll('th, td')]
        .filter((cell) => cell.offsetParent !== null)
        .map((cell) => ({ width: cell.getBoundingClientRect().width, text: cell.textContent.slice(0, 40), table: cell.closest('table').id || cell.closest('table').className }))
    `);
    expect(cells.length).toBeGreaterThan(report.results.length);
    expect(cells.filter((cell) => cell.width < 40)).toEqual([]);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
    // Words stay whole: the section table's first column is at least as wide as its longest word ("Infrastructure").
    const [cellWidth, wordWidth] = await page.evaluate<[number, number]>(`(() => {
      const cell = document.querySelector('#sections tbody td');
      const probe = document.createElement('span');
      probe.textContent = 'Infrastructure';
      probe.style.whiteSpace = 'nowrap';
      cell.append(probe);
      const widths = [cell.getBoundingClientRect().width, probe.getBoundingClientRect().width];
      probe.remove();
      return widths;
    })()`);
    expect(cellWidth).toBeGreaterThan(wordWidth);
    await page.close();
  });

  it('holds what the Markdown holds: HIPAA by layer and citation, risk, recommendations, answers, principal, region, cost', async () => {
    const page = await open(1280);
    const text = (await page.locator('body').innerText()).replace(/[ \t]+/g, ' ');
    for (const { title, percent, passed, checks } of hipaaLayers(report)) expect(text).toContain(`${title}: ${percent}% (${passed}/${checks.length} checks)`);
    const citations = hipaaCitations(report);
    expect(citations.length).toBeGreaterThan(5);
    expect(await page.locator('#citations tbody tr').count()).toBe(citations.length);
    for (const { citation, checks } of citations) {
      const row = page.locator('#citations tbody tr', { hasText: `§ ${citation}` }).first();
      for (const check of checks) expect(await row.innerText()).toContain(check.checkId);
    }
    for (const blocker of report.blockers) expect(text).toContain(blocker.risk);
    expect(await page.locator('#recommendation').innerText()).toContain('Critical path:');
    for (const section of report.sections) if (QUESTIONS[section.id]) expect(text).toContain(`Q: ${QUESTIONS[section.id]}`);
    expect(text).toContain(report.source.principal!);
    expect(text).toContain('region us-east-1');
    expect(text).toContain(report.results.find((r) => r.checkId === 'info.cost')!.message);
    await page.close();
  });

  it('has a methodology (what was read, when, as whom, with which permissions, out of scope) and the sign-off from the config', async () => {
    const page = await open(1280);
    const method = await page.locator('dl.method').innerText();
    expect(method).toContain(report.source.collectedAt!);
    expect(method).toContain(report.source.principal!);
    expect(method).toMatch(/Out of scope/);
    expect(await page.locator('#facts tbody tr').count()).toBe(report.audit!.facts.length);
    expect(await page.locator('#facts').innerText()).toContain('rds:DescribeDBClusters');
    const signOff = await page.locator('table.sign-off').innerText();
    expect(signOff).toContain('Sam Rivera');
    expect(signOff).toContain('Priya Natarajan');
    expect(signOff).toContain('2026-01-09'); // 2025-10-11 + 90 days
    await page.close();
  });

  it('prints to PDF with everything shown: passed evidence, waiver approver and reason, attestation hash; a running header and page numbers; no blank page', async () => {
    const page = await open(1280);
    const pdf = join(dir, 'report.pdf');
    await page.pdf({ path: pdf, preferCSSPageSize: true });
    await page.close();
    await run('pdftotext', [pdf, join(dir, 'report.txt')]);
    const pages = (await readFile(join(dir, 'report.txt'), 'utf8')).split('\f').slice(0, -1);
    expect(pages.length).toBeGreaterThan(5);
    expect(pages.length).toBeLessThan(120);
    const all = squash(pages.join(''));
    expect(all).toContain(squash(PASSED_EVIDENCE));
    expect(all).toContain(squash(APPROVER));
    expect(all).toContain(squash(WAIVER_REASON));
    expect(all).toContain(SHA256);
    expect(all).toContain(squash('Sam Rivera'));
    pages.forEach((text, i) => {
      // The running header (project, date, verdict) and "Page i of n" on every page.
      expect(squash(text)).toContain(squash(`Page ${i + 1} of ${pages.length}`));
      expect(squash(text)).toContain(squash('mentalspace-ehr — production readiness'));
      expect(squash(text)).toContain(squash(`${report.generatedAt.slice(0, 10)} · NOT READY`));
      // No page of blank space: every page but the last carries a body, not just its header and footer.
      if (i < pages.length - 1) expect(squash(text).length, `page ${i + 1}`).toBeGreaterThan(600);
    });
  });

  it('effort on the critical path counts waiting apart from work', () => {
    const waits = criticalPath(report).flatMap((p) => p.steps).filter((s) => s.waitDays);
    expect(waits.map((s) => s.checkId)).toContain('aws.baa');
  });
});
