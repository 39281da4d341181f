import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { validateAgainstCatalog } from '../../src/config/catalog.js';
import { parseConfig } from '../../src/config/load.js';
import { isOneLineError, runCli } from '../support/cli.js';

const NOW = '2025-10-11T22:30:00Z';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-catalog-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const validate = (yaml: string) => validateAgainstCatalog(parseConfig(yaml, 'c.yaml'), allChecks, new Date(NOW));

describe('names the catalog must know: one line with file:line:col, exit 2', () => {
  const cases: { name: string; yaml: string; at: string; says: RegExp }[] = [
    {
      name: 'unknown check id under checks',
      yaml: 'project: x\nchecks:\n  aws.rds.public-acess: { severity: high }\n',
      at: '3:3',
      says: /checks: no check "aws.rds.public-acess" — did you mean "aws.rds.public-access"\?/,
    },
    {
      name: 'unknown option of a check',
      yaml: 'project: x\nchecks:\n  aws.rds.restore-tested:\n    maxAgeDay: 30\n',
      at: '4:5',
      says: /checks\.aws\.rds\.restore-tested: unknown option "maxAgeDay" — did you mean "maxAgeDays"\?/,
    },
    {
      name: 'an option of a check that has none',
      yaml: 'project: x\nchecks:\n  aws.s3.encryption:\n    threshold: 3\n',
      at: '4:5',
      says: /checks\.aws\.s3\.encryption: unknown option "threshold" \(options: severity, off\)/,
    },
    {
      name: 'an option of the wrong type',
      yaml: 'project: x\nchecks:\n  aws.rds.restore-tested:\n    maxAgeDays: soon\n',
      at: '4:17',
      says: /checks\.aws\.rds\.restore-tested\.maxAgeDays: .*expected number/,
    },
    { name: 'a severity that is none', yaml: 'project: x\nchecks:\n  aws.s3.encryption: { severity: urgent }\n', at: '3:34', says: /checks\.aws\.s3\.encryption\.severity/ },
    { name: 'off without a reason', yaml: 'project: x\nchecks:\n  aws.s3.encryption: { off: "" }\n', at: '3:29', says: /checks\.aws\.s3\.encryption\.off/ },
    {
      name: 'unknown document name',
      yaml: 'project: x\ndocuments:\n  incident-respons: docs/ir.md\n',
      at: '3:3',
      says: /documents: unknown document "incident-respons" — did you mean "incident-response"\?/,
    },
    {
      name: 'unknown attestation name',
      yaml: 'project: x\nattestations:\n  risk-asessment: { date: 2025-01-01, by: CISO, evidence: r.pdf }\n',
      at: '3:3',
      says: /attestations: unknown attestation "risk-asessment" — did you mean "risk-assessment"\?/,
    },
    {
      name: 'a BAA of a vendor not listed',
      yaml: 'project: x\nvendors: [twilio]\nattestations:\n  sendgrid-baa: { signed: 2025-01-01, by: CEO, evidence: s.pdf }\n',
      at: '4:3',
      says: /attestations: unknown attestation "sendgrid-baa" \(list "sendgrid" under `vendors:` to attest its BAA\)/,
    },
    {
      name: 'a waiver naming no check nor prefix',
      yaml: 'project: x\nwaivers:\n  - { check: aws.cloudfront.wav, reason: r, approvedBy: CISO, expires: 2025-12-31 }\n',
      at: '3:14',
      says: /waivers\.0\.check: no check "aws.cloudfront.wav" — did you mean "aws.cloudfront.waf"\?/,
    },
    {
      name: 'a waiver expiring too far ahead',
      yaml: 'project: x\nwaivers:\n  - { check: aws.cloudfront.waf, reason: r, approvedBy: CISO, expires: 2027-01-01 }\n',
      at: '3:72',
      says: /waivers\.0\.expires: 2027-01-01 is more than 365 days ahead \(latest 2026-10-11; gate\.maxWaiverDays\)/,
    },
    {
      name: 'a waiver beyond a shorter gate.maxWaiverDays',
      yaml: 'project: x\ngate: { maxWaiverDays: 90 }\nwaivers:\n  - { check: aws.cloudfront.waf, reason: r, approvedBy: CISO, expires: 2026-01-10 }\n',
      at: '4:72',
      says: /more than 90 days ahead \(latest 2026-01-09/,
    },
  ];

  it.each(cases)('$name', async ({ name, yaml, at, says }) => {
    const file = join(dir, `${name.replaceAll(' ', '-')}.yaml`);
    await writeFile(file, yaml);
    const { code, stderr, stdout } = await runCli(['check', '--config', file, '--now', NOW]);
    expect(stdout).toBe('');
    expect(isOneLineError(stderr)).toBe(true);
    expect(stderr).toContain(`${file}:${at}: `);
    expect(stderr).toMatch(says);
    expect(code).toBe(2);
  });
});

describe('names the catalog knows', () => {
  it('accepts check settings, known documents and attestations, vendor BAAs and waiver prefixes', () => {
    expect(() =>
      validate(
        [
          'project: x',
          'vendors: [twilio]',
          'checks:',
          '  aws.rds.restore-tested: { maxAgeDays: 30, severity: high }',
          '  aws.cloudfront.waf: { off: "no CDN in front of the API" }',
          'documents: { incident-response: ir.md, runbook: rb.md }',
          'attestations:',
          '  twilio-baa: { signed: 2025-01-01, by: CEO, evidence: t.pdf }',
          '  restore-test: { date: 2025-09-01, by: Ops, evidence: r.md }',
          'waivers:',
          '  - { check: aws.cloudfront, reason: r, approvedBy: CISO, expires: 2026-10-11 }',
        ].join('\n'),
      ),
    ).not.toThrow();
  });
});
