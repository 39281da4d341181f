import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import acmExpiry from '../../../checks/aws/aws.acm.expiry.js';
import { renderedCommands, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

const CERT = 'arn:aws:acm:us-east-1:1:certificate/abc';
const NOW = '2026-01-01T00:00:00Z';
const IN_45_DAYS = '2026-02-15T12:00:00.000Z';
/** An attached, eligible, DNS-validated certificate as the collector reads it now; `old()` drops what older versions did not collect. */
const certificate = (over: Record<string, unknown> = {}) => ({
  arn: CERT, region: 'us-east-1', domainName: 'example.com', subjectAlternativeNames: ['example.com', '*.example.com'], status: 'ISSUED',
  type: 'AMAZON_ISSUED', keyAlgorithm: 'EC_prime256v1', notAfter: IN_45_DAYS, inUseBy: ['arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/1'],
  renewalEligibility: 'ELIGIBLE', renewalStatus: 'PENDING_AUTO_RENEWAL', renewalStatusReason: null, validationMethods: ['DNS'], ...over,
});
const old = (over: Record<string, unknown> = {}) => {
  const { renewalStatus, renewalStatusReason, validationMethods, ...rest } = certificate(over);
  return rest;
};
const domain = { domain: { name: 'example.com', hosts: { app: 'app.example.com' } } };
const distributions = { ok: true, value: [] };
const run = (c: Omit<CheckCase, 'config' | 'now'>) => runCase(acmExpiry, { config: domain, now: NOW, ...c });

describe('aws.acm.expiry: managed renewal', () => {
  const cases: Omit<CheckCase, 'config' | 'now'>[] = [
    { name: 'PENDING_AUTO_RENEWAL 45 days out passes', facts: { certificates: [certificate()], distributions }, expected: [[CERT, 'pass', 'valid']] },
    { name: 'SUCCESS passes', facts: { certificates: [certificate({ renewalStatus: 'SUCCESS' })], distributions }, expected: [[CERT, 'pass', 'valid']] },
    { name: 'no renewal yet, 334 days out, passes', facts: { certificates: [certificate({ renewalStatus: null, notAfter: '2026-12-01T00:00:00.000Z' })], distributions }, expected: [[CERT, 'pass', 'valid']] },
    { name: 'PENDING_VALIDATION 45 days out fails', facts: { certificates: [certificate({ renewalStatus: 'PENDING_VALIDATION' })], distributions }, expected: [[CERT, 'fail', 'renewal-pending-validation']] },
    {
      name: 'PENDING_VALIDATION on a certificate for the domain that is no longer attached fails too',
      facts: { certificates: [certificate({ renewalStatus: 'PENDING_VALIDATION', inUseBy: [], renewalEligibility: 'INELIGIBLE' })], distributions },
      expected: [[CERT, 'fail', 'renewal-pending-validation']],
    },
    { name: 'FAILED fails', facts: { certificates: [certificate({ renewalStatus: 'FAILED', renewalStatusReason: 'CAA_ERROR' })], distributions }, expected: [[CERT, 'fail', 'renewal-failed']] },
    { name: 'expiring within minDaysLeft is still expiring, whatever the renewal says', facts: { certificates: [certificate({ renewalStatus: 'FAILED', notAfter: '2026-01-10T00:00:00.000Z' })], distributions }, expected: [[CERT, 'fail', 'expiring']] },
    { name: 'EMAIL-validated and attached fails, far from expiry', facts: { certificates: [certificate({ validationMethods: ['EMAIL'], renewalStatus: null, notAfter: '2026-12-01T00:00:00.000Z' })], distributions }, expected: [[CERT, 'fail', 'email-validation']] },
    { name: 'EMAIL for one name among DNS ones fails', facts: { certificates: [certificate({ validationMethods: ['DNS', 'EMAIL'] })], distributions }, expected: [[CERT, 'fail', 'email-validation']] },
    {
      name: 'EMAIL-validated but not attached yet: not renewing by design, as today',
      facts: { certificates: [certificate({ validationMethods: ['EMAIL'], inUseBy: [], renewalEligibility: 'INELIGIBLE', renewalStatus: null })], distributions },
      expected: [[CERT, 'pass', 'not-attached']],
    },
    { name: 'older snapshot, eligible, 45 days out: renewal not collected, never pass', facts: { certificates: [old()], distributions }, expected: [[CERT, 'unverified', 'renewal-not-collected']] },
    { name: 'older snapshot, eligible, 60 days out: renewal not collected', facts: { certificates: [old({ notAfter: '2026-03-02T12:00:00.000Z' })], distributions }, expected: [[CERT, 'unverified', 'renewal-not-collected']] },
    { name: 'older snapshot, eligible, 334 days out: as before', facts: { certificates: [old({ notAfter: '2026-12-01T00:00:00.000Z' })], distributions }, expected: [[CERT, 'pass', 'valid']] },
    { name: 'older snapshot, imported and attached: as before', facts: { certificates: [old({ type: 'IMPORTED', renewalEligibility: 'INELIGIBLE' })], distributions }, expected: [[CERT, 'fail', 'not-renewable']] },
  ];
  it.each(cases)('$name', (c) => expect(run(c)).toEqual(c.expected));

  it('the messages name the renewal failure reason and what validation waits for', () => {
    const [failed] = renderedMessages(acmExpiry, { certificates: [certificate({ renewalStatus: 'FAILED', renewalStatusReason: 'CAA_ERROR' })], distributions: [] }, domain);
    expect(failed).toContain('managed renewal failed (CAA_ERROR)');
    const [dns, email] = renderedMessages(acmExpiry, { certificates: [certificate({ renewalStatus: 'PENDING_VALIDATION' }), certificate({ renewalStatus: 'PENDING_VALIDATION', validationMethods: ['EMAIL'] })], distributions: [] }, domain);
    expect(dns).toContain('validation CNAMEs are missing from DNS or do not resolve');
    expect(email).toContain('nobody has approved its validation mail');
  });

  it('the fix for each: a replacement once renewal failed or for email validation, the validation CNAMEs while it waits on them', () => {
    const failed = renderedCommands(acmExpiry, { certificates: [certificate({ renewalStatus: 'FAILED', renewalStatusReason: 'CAA_ERROR' })], distributions: [] }, domain);
    expect(failed[0]).toMatch(/^aws acm request-certificate --domain-name example\.com --validation-method DNS --region us-east-1 /);
    const [dns] = renderedCommands(acmExpiry, { certificates: [certificate({ renewalStatus: 'PENDING_VALIDATION' })], distributions: [] }, domain);
    expect(dns).toMatch(/^aws acm describe-certificate --certificate-arn \S+ --region us-east-1 --query 'Certificate\.DomainValidationOptions\[\]\.ResourceRecord' {2}# publish these CNAMEs/);
    // Email approval pending: the lasting fix is a DNS-validated replacement, not the CNAMEs it never had.
    const [email] = renderedCommands(acmExpiry, { certificates: [certificate({ renewalStatus: 'PENDING_VALIDATION', validationMethods: ['EMAIL'] })], distributions: [] }, domain);
    expect(email).toMatch(/^aws acm request-certificate --domain-name example\.com --validation-method DNS --region us-east-1 {2}# then attach it in place of this email-validated certificate$/);
  });

  it('passes a hostile domain name, ARN and region to the CLI as one argument each, running nothing', () => {
    const name = `x'$(touch pwned) "y"`;
    const region = `us-east-1'; touch pwned; '`;
    const arn = `${CERT}' ; touch pwned`;
    const [request] = renderedCommands(acmExpiry, { certificates: [certificate({ renewalStatus: 'FAILED', renewalStatusReason: 'OTHER', domainName: name, region })], distributions: [] }, domain);
    expect(argv(request!)).toEqual(['acm', 'request-certificate', '--domain-name', name, '--validation-method', 'DNS', '--region', region]);
    const [records] = renderedCommands(acmExpiry, { certificates: [certificate({ renewalStatus: 'PENDING_VALIDATION', arn, region })], distributions: [] }, domain);
    expect(argv(records!).slice(0, 6)).toEqual(['acm', 'describe-certificate', '--certificate-arn', arn, '--region', region]);
  });
});

/** The arguments bash passes to `aws` in a command (a function stands in for it; nothing else may run). */
function argv(command: string): string[] {
  const cwd = mkdtempSync(join(tmpdir(), 'readiness-argv-'));
  try {
    const out = execFileSync('bash', ['-c', `aws() { printf '%s\\0' "$@"; }; ${command}`], { cwd, encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
    expect(readdirSync(cwd)).toEqual([]);
    return out.split('\0').slice(0, -1);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
