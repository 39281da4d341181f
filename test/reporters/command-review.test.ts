import { beforeAll, describe, expect, it } from 'vitest';
import { commandNote, reviewCommand } from '../../src/command-review.js';
import type { Report, Result } from '../../src/model.js';
import { parseJsonReport } from '../../src/report-parse.js';
import { reportSchema } from '../../src/report-schema.js';
import { reporters } from '../../src/reporters/index.js';
import { demoReport } from '../support/demo.js';

/** A fix command that needs a choice only the user can make, or a console page, is marked so in every format. */

describe('reviewCommand', () => {
  it.each([
    ['aws s3api put-bucket-versioning --bucket b --versioning-configuration Status=Enabled', { action: 'run' }],
    ['aws secretsmanager rotate-secret --secret-id s --rotation-lambda-arn <rotation-function-arn> --tag <a> <a>', { action: 'edit', placeholders: ['<rotation-function-arn>', '<a>'], controlCharacter: false }],
    ['open https://console.aws.amazon.com/iam/home#/security_credentials', { action: 'manual', page: 'https://console.aws.amazon.com/iam/home#/security_credentials' }],
    ["open 'https://console.aws.amazon.com/config/home?region=us-east-1#/getting-started'", { action: 'manual', page: 'https://console.aws.amazon.com/config/home?region=us-east-1#/getting-started' }],
    // Anything after the page makes it a command, not a page to open.
    ['open https://example.com && rm -rf x', { action: 'run' }],
    ['echo ok\ntouch pwned', { action: 'edit', placeholders: [], controlCharacter: true }],
  ])('%j', (command, review) => {
    expect(reviewCommand(command)).toEqual(review);
  });

  it('gives each command its own placeholders where the note says the same (a control character), asked once or many times', () => {
    for (let round = 0; round < 2; round++) {
      expect(reviewCommand('aws s3 cp <from>\nrm x')).toEqual({ action: 'edit', placeholders: ['<from>'], controlCharacter: true });
      expect(reviewCommand('aws s3 cp <to>\nrm y')).toEqual({ action: 'edit', placeholders: ['<to>'], controlCharacter: true });
      expect(commandNote('aws s3 cp <from>\nrm x')).toBe(commandNote('aws s3 cp <to>\nrm y'));
    }
  });
});

const EDIT = 'aws s3api put-bucket-logging --bucket b --bucket-logging-status <logging-status>';
const MANUAL = 'open https://console.aws.amazon.com/iam/home#/security_credentials';
const PLAIN = 'aws s3api put-bucket-versioning --bucket plain-bucket --versioning-configuration Status=Enabled';

let demo: Report;
let forged: Report;
beforeAll(async () => {
  demo = await demoReport();
  // Three failing results of three checks, given one command of each kind.
  const failing = [...new Map(demo.results.filter((r) => r.status === 'fail' && r.scored && r.remediation.command).map((r) => [r.checkId, r])).values()].slice(0, 3);
  const results: Result[] = failing.map((r, i) => ({ ...r, remediation: { ...r.remediation, command: [EDIT, MANUAL, PLAIN][i]! } }));
  forged = { ...demo, results, blockers: results.filter((r) => r.severity === 'critical') };
});

const render = (format: string, report: Report) => reporters[format]!.render(report, {});

describe('every format marks commands that need edits, and console pages as manual', () => {
  it.each(['terminal', 'md', 'html', 'sarif', 'junit', 'github'])('%s, forged report', (format) => {
    const text = render(format, forged);
    expect(text).toContain(asIn(format, commandNote(EDIT)!));
    expect(text).toContain(asIn(format, 'EDIT FIRST: replace <logging-status>'));
    expect(text).toContain(asIn(format, commandNote(MANUAL)!));
    expect(text).toContain('MANUAL: open https://console.aws.amazon.com/iam/home#/security_credentials');
    // A command that runs as shown carries no mark.
    const plainLines = text.split('\n').filter((line) => line.includes('plain-bucket'));
    expect(plainLines.length).toBeGreaterThan(0);
    for (const line of plainLines) expect(line).not.toMatch(/EDIT FIRST|MANUAL/);
  });

  it('json: a field on the remediation, valid against the schema, read back as the same report', () => {
    const json = JSON.parse(render('json', forged)) as { results: { remediation?: Record<string, unknown> }[] };
    expect(reportSchema.safeParse(json).success).toBe(true);
    const [edit, manual, plain] = json.results.map((r) => r.remediation);
    expect(edit).toMatchObject({ command: EDIT, needsEdit: true, placeholders: ['<logging-status>'] });
    expect(edit).not.toHaveProperty('manual');
    expect(manual).toMatchObject({ command: MANUAL, manual: true });
    expect(manual).not.toHaveProperty('needsEdit');
    expect(plain).toEqual({ command: PLAIN });
    const parsed = parseJsonReport(json);
    expect(parsed.ok && parsed.report.results.map((r) => r.remediation.command)).toEqual([EDIT, MANUAL, PLAIN]);
  });

  it('json: a report of schemaVersion 2 without the fields still reads', () => {
    const json = JSON.parse(render('json', forged)) as { results: { remediation?: Record<string, unknown> }[] };
    for (const r of json.results) if (r.remediation) for (const key of ['needsEdit', 'placeholders', 'manual']) delete r.remediation[key];
    expect(parseJsonReport(json).ok).toBe(true);
  });

  it.each(['terminal', 'md', 'html', 'sarif', 'junit', 'github'])('%s, demo report: the demo\'s commands with placeholders and its console pages are marked', (format) => {
    const text = render(format, demo);
    // The demo has both: S3 access logging needs a <log-bucket>, the root account's MFA is set in the console.
    const edit = demo.results.find((r) => r.checkId === 'aws.s3.access-logging' && r.remediation.command)!.remediation.command!;
    expect(reviewCommand(edit)).toMatchObject({ action: 'edit', placeholders: ['<log-bucket>'] });
    // GitHub names a check's command only when all its findings share one (the two buckets' differ).
    expect(text).toContain(format === 'github' ? 'Fix (EDIT FIRST: replace <acm-certificate-arn>, <alternate-domain-name>): distribution=$(aws cloudfront get-distribution-config' : asIn(format, 'EDIT FIRST: replace <log-bucket>'));
    expect(text).toContain('MANUAL: open https://console.aws.amazon.com/');
  });

  it('json, demo report: every command with a placeholder says so, every console page is manual, no other is flagged', () => {
    const json = JSON.parse(render('json', demo)) as { results: { remediation?: { command?: string; needsEdit?: boolean; placeholders?: string[]; manual?: boolean } }[] };
    const remediations = json.results.map((r) => r.remediation).filter((r) => r?.command);
    expect(remediations.filter((r) => r!.needsEdit).length).toBeGreaterThan(0);
    expect(remediations.filter((r) => r!.manual).length).toBeGreaterThan(0);
    for (const r of remediations) {
      expect(Boolean(r!.needsEdit)).toBe(/<[a-z][\w-]*>/i.test(r!.command!));
      expect(Boolean(r!.manual)).toBe(/^open '?https:\/\/\S+$/.test(r!.command!));
    }
  });
});

/** Text as a format writes it: HTML and JUnit XML escape markup. */
function asIn(format: string, text: string): string {
  return format === 'html' || format === 'junit' ? text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!) : text;
}

describe('fix templates that read a file the user must write', () => {
  it('are marked EDIT FIRST (the file is a <placeholder>, or the command has one), instead of failing on a missing file', async () => {
    const { allChecks } = await import('../../checks/index.js');
    const unnamed = allChecks
      .map((check) => [check.meta.id, check.meta.remediation.command?.replaceAll(/\{\{\s*[\w.-]+\s*\}\}/g, 'name') ?? ''] as const)
      .filter(([, command]) => /file:\/\/(?!<)/.test(command) && reviewCommand(command).action === 'run')
      .map(([id]) => id);
    expect(unnamed).toEqual([]);
    const waf = allChecks.find((check) => check.meta.id === 'aws.cloudfront.waf')!;
    expect(reviewCommand(waf.meta.remediation.command!.replaceAll('{{resource}}', 'site'))).toMatchObject({ action: 'edit', placeholders: ['<managed-rules-file>'] });
  });
});
