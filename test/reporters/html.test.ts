import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlReporter } from '../../src/reporters/html.js';
import type { Report } from '../../src/model.js';
import { demoReport } from '../support/demo.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// CI installs Debian's chromium (.ci/run); a laptop without it skips, CI never does.
describe.skipIf(!existsSync(CHROMIUM) && process.env.CI !== 'true')('html report in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  let report: Report;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    dir = await mkdtemp(join(tmpdir(), 'readiness-html-'));
    report = await demoReport();
  });
  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows the verdict, every section and every result, with no request and no console error', async () => {
    const file = join(dir, 'readiness-report.html');
    await writeFile(file, htmlReporter(report));
    const page = await browser.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pathToFileURL(file).href);

    expect(await page.locator('#verdict').innerText()).toContain('NOT READY');
    expect(await page.locator('#verdict').innerText()).toContain(`${Math.round(report.score)}%`);
    expect(await page.locator('#sections tbody tr').count()).toBe(report.sections.length);
    expect(await page.locator('tr.result').count()).toBe(report.results.length);
    const failing = await page.locator('tr.result[data-status="fail"]').count();
    expect(failing).toBe(report.summary.fail);
    expect(await page.locator('#blockers > li').count()).toBe(new Set(report.blockers.map((b) => b.checkId)).size);
    expect(await page.locator('#blockers li li').count()).toBe(report.blockers.length);
    // Long ARNs and commands wrap: the page never scrolls sideways at a laptop's width.
    await page.setViewportSize({ width: 1200, height: 900 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1200);
    await expect(page.locator('tr.result[data-check="aws.rds.deletion-protection"]').first().innerText()).resolves.toContain('mentalspaceehrstack-databaseb269d8bb');
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('escapes text from the environment instead of interpreting it', async () => {
    const hostile = structuredClone(report);
    hostile.project = '<img src=x onerror="window.__pwned=1">';
    hostile.results[0]!.resource = '<script>window.__pwned=2</script>';
    const file = join(dir, 'hostile.html');
    await writeFile(file, htmlReporter(hostile));
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('h1').innerText()).toContain('<img src=x');
    await page.close();
  });
});
