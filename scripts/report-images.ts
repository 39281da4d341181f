/**
 * docs/report-html.png and docs/report-pdf-page1.png: the demo's HTML report in Debian's Chromium, on screen (1280 px)
 * and printed to PDF (its first page, rendered by poppler's pdftoppm). Run: npx tsx scripts/report-images.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { htmlReporter } from '../src/reporters/html.js';
import { PACKAGE_ROOT } from '../src/version.js';
import { demoReport } from '../test/support/demo.js';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const docs = join(PACKAGE_ROOT, 'docs');
const dir = mkdtempSync(join(tmpdir(), 'readiness-images-'));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
try {
  const file = join(dir, 'readiness-report.html');
  writeFileSync(file, htmlReporter(await demoReport()));
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(pathToFileURL(file).href);
  await page.screenshot({ path: join(docs, 'report-html.png') });
  const pdf = join(dir, 'report.pdf');
  await page.pdf({ path: pdf, preferCSSPageSize: true });
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdf, join(docs, 'report-pdf-page1')]);
  process.stdout.write('wrote docs/report-html.png and docs/report-pdf-page1.png\n');
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
