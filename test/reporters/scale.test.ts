import { beforeAll, describe, expect, it } from 'vitest';
import type { Report, Result } from '../../src/model.js';
import { htmlReporter } from '../../src/reporters/html.js';
import { renderChunks } from '../../src/reporters/index.js';
import { markdownReporter } from '../../src/reporters/markdown.js';
import { terminalReporter } from '../../src/reporters/terminal.js';
import { demoReport } from '../support/demo.js';

// Sizes, not timings (those are in npm run bench): what each format does with a 100k-resource account.
/** The demo report with one failing critical check over `count` databases, and a passing one over as many buckets. */
async function largeReport(count: number): Promise<Report> {
  const demo = await demoReport();
  const failing = demo.results.find((r) => r.checkId === 'aws.rds.deletion-protection' && r.status === 'fail')!;
  const passing = demo.results.find((r) => r.checkId === 'aws.s3.encryption' && r.status === 'pass')!;
  const copies = (template: Result, prefix: string) =>
    Array.from({ length: count }, (_, i): Result => ({ ...template, resource: `${prefix}-${i}`, message: `${template.message} (${prefix}-${i})`, remediation: { ...template.remediation, ...(template.remediation.command ? { command: `${template.remediation.command} # ${prefix}-${i}` } : {}) } }));
  const many = copies(failing, 'db');
  const results = [...demo.results.filter((r) => r !== failing), ...many, ...copies(passing, 'bucket')];
  return { ...demo, results, blockers: [...demo.blockers.filter((b) => b !== failing), ...many] };
}

it('markdown lists every finding of a check failing on 150,000 resources (no call-stack overflow from spreading its lines)', async () => {
  const md = markdownReporter(await largeReport(150_000));
  expect(md).toContain('`db-149999`: ');
  expect(md).toContain('`bucket-149999`: ');
}, 120_000);

const BUCKETS = 20_000;

describe(`reports of ${2 * BUCKETS} results`, () => {
  let report: Report;
  beforeAll(async () => {
    report = await largeReport(BUCKETS);
  });

  it('json comes in pieces that do not grow with the results (the check-level text once, in `checks`)', () => {
    let longest = 0;
    const pieces: string[] = [];
    for (const piece of renderChunks('json', report, {})) {
      longest = Math.max(longest, piece.length);
      pieces.push(piece);
    }
    expect(longest).toBeLessThan(100_000);
    const json = JSON.parse(pieces.join('')) as { checks: unknown[]; results: { risk?: string }[]; blockers: number[] };
    expect(json.results).toHaveLength(report.results.length);
    expect(json.blockers).toHaveLength(report.blockers.length);
    expect(json.results.filter((r) => r.risk !== undefined)).toEqual([]);
  });

  it('md and html come in pieces the writer encodes straight into its buffer (none grows with a long list), the same text as rendered whole', () => {
    // A quarter of the writer's 256 kB buffer, in UTF-16 units of up to 3 bytes each: a larger piece would be copied first.
    const encodable = (1 << 18) / 4 / 3;
    for (const [format, whole] of [['md', markdownReporter(report)], ['html', htmlReporter(report)]] as const) {
      const pieces = [...renderChunks(format, report, {})];
      expect(pieces.join('')).toBe(whole);
      expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(encodable);
      // Gathered, not one piece per line: a few hundred characters at least per piece, on average.
      expect(whole.length / pieces.length).toBeGreaterThan(1000);
    }
  });

  it('html names every resource, but gives full rows only to the first ones of each check: a few MB', () => {
    const html = htmlReporter(report);
    expect(html).toContain(`<code>db-${BUCKETS - 1}</code>`);
    expect(html).toContain(`<code>bucket-${BUCKETS - 1}</code>`);
    expect(html.match(/<tr class="result" data-check="aws\.rds\.deletion-protection"/g)).toHaveLength(50);
    expect(html.length).toBeLessThan(2 * 1024 * 1024);
  });

  it('terminal lists five findings per check and counts the rest; the --out summary is a screenful', () => {
    const text = terminalReporter(report);
    expect(text).toContain(`… and ${BUCKETS - 5} more aws.rds.deletion-protection findings (${BUCKETS - 5} failing)`);
    expect(text.length).toBeLessThan(100_000);
    expect(terminalReporter(report, { summary: true }).length).toBeLessThan(20_000);
  });
});
