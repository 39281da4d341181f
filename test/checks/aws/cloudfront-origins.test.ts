import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import httpsOnly from '../../../checks/aws/aws.cloudfront.https-only.js';
import { renderedCommands, renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

const s3 = { id: 's3', domainName: 'frontend.s3.us-east-1.amazonaws.com', kind: 's3', protocolPolicy: null, sslProtocols: null };
const custom = (id: string, protocolPolicy: string | null, sslProtocols: string[] | null = ['TLSv1.2']) => ({ id, domainName: `${id}.example.com`, kind: 'custom', protocolPolicy, sslProtocols });
const behavior = (pathPattern: string, viewerProtocolPolicy: string, targetOriginId: string, originIds = [targetOriginId]) => ({ pathPattern, viewerProtocolPolicy, targetOriginId, originIds });
const distribution = (origins: unknown[] | undefined, behaviors = [behavior('*', 'redirect-to-https', 's3')], over: Record<string, unknown> = {}) => ({
  id: 'E1', arn: 'arn:aws:cloudfront::1:distribution/E1', domainName: 'd1.cloudfront.net', enabled: true, aliases: [],
  behaviors, ...(origins ? { origins } : {}),
  certificate: { source: 'cloudfront', acmCertificateArn: null, minimumProtocolVersion: 'TLSv1', sslSupportMethod: null },
  logging: { enabled: false, bucket: null, prefix: null }, webAclId: null, ...over,
});

describe('aws.cloudfront.https-only: origin leg', () => {
  const cases: CheckCase[] = [
    { name: 'an S3 origin behind redirecting behaviours passes', facts: { distributions: [distribution([s3])] }, expected: [['E1', 'pass', 'https-enforced']] },
    { name: 'a snapshot from before origins were collected is unverified, never pass', facts: { distributions: [distribution(undefined, [{ pathPattern: '*', viewerProtocolPolicy: 'https-only' }] as never)] }, expected: [['E1', 'unverified', 'origins-not-collected']] },
    { name: 'viewer HTTP still fails on an old snapshot', facts: { distributions: [distribution(undefined, [{ pathPattern: '*', viewerProtocolPolicy: 'allow-all' }] as never)] }, expected: [['E1', 'fail', 'allows-http']] },
    { name: 'http-only custom origin fails', facts: { distributions: [distribution([custom('api', 'http-only')], [behavior('*', 'https-only', 'api')])] }, expected: [['E1', 'fail', 'origin-http']] },
    { name: 'http-only origin no behaviour routes to fails (Lambda@Edge and functions can pick any origin)', facts: { distributions: [distribution([s3, custom('api', 'http-only')])] }, expected: [['E1', 'fail', 'origin-http']] },
    { name: 'match-viewer behind HTTPS-only viewers passes', facts: { distributions: [distribution([custom('web', 'match-viewer')], [behavior('*', 'redirect-to-https', 'web')])] }, expected: [['E1', 'pass', 'https-enforced']] },
    { name: 'match-viewer behind an allow-all behaviour fails', facts: { distributions: [distribution([custom('web', 'match-viewer')], [behavior('*', 'allow-all', 'web')])] }, expected: [['E1', 'fail', 'allows-http']] },
    { name: 'TLSv1.1 allowed to the origin fails', facts: { distributions: [distribution([custom('api', 'https-only', ['TLSv1.1', 'TLSv1.2'])], [behavior('*', 'https-only', 'api')])] }, expected: [['E1', 'fail', 'origin-old-tls']] },
    { name: 'SSLv3 allowed to a match-viewer origin fails', facts: { distributions: [distribution([custom('api', 'match-viewer', ['SSLv3'])], [behavior('*', 'https-only', 'api')])] }, expected: [['E1', 'fail', 'origin-old-tls']] },
    { name: 'no SSL protocols known is unverified', facts: { distributions: [distribution([custom('api', 'https-only', [])], [behavior('*', 'https-only', 'api')])] }, expected: [['E1', 'unverified', 'origin-unknown']] },
    { name: 'unknown protocol policy is unverified', facts: { distributions: [distribution([custom('api', null)], [behavior('*', 'https-only', 'api')])] }, expected: [['E1', 'unverified', 'origin-unknown']] },
    { name: 'an origin of unknown kind is unverified', facts: { distributions: [distribution([{ ...s3, kind: 'unknown' }])] }, expected: [['E1', 'unverified', 'origin-unknown']] },
    { name: 'a VPC origin (protocol not read) is unverified', facts: { distributions: [distribution([{ ...s3, kind: 'vpc' }])] }, expected: [['E1', 'unverified', 'origin-unknown']] },
    { name: 'a behaviour routed to an origin that is not listed is unverified', facts: { distributions: [distribution([s3], [behavior('*', 'https-only', 'gone')])] }, expected: [['E1', 'unverified', 'origin-unknown']] },
    { name: 'a behaviour without its target recorded is unverified', facts: { distributions: [distribution([s3], [{ pathPattern: '*', viewerProtocolPolicy: 'https-only' }] as never)] }, expected: [['E1', 'unverified', 'origins-not-collected']] },
    { name: 'plain HTTP beats an unknown origin: fails', facts: { distributions: [distribution([custom('api', 'http-only'), { ...s3, kind: 'unknown' }], [behavior('*', 'https-only', 'api')])] }, expected: [['E1', 'fail', 'origin-http']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(httpsOnly, c)).toEqual(c.expected));

  it('names the origin and its policy', () => {
    const facts = { distributions: [distribution([custom('api', 'http-only')], [behavior('*', 'https-only', 'api')])] };
    expect(renderedMessages(httpsOnly, facts)[0]).toContain('api (api.example.com, http-only)');
  });

  it('the fix sets OriginProtocolPolicy https-only (and TLSv1.2) on a shell-quoted distribution id', () => {
    const id = `E1' ; touch pwned`;
    const facts = { distributions: [distribution([custom('api', 'http-only', ['TLSv1', 'TLSv1.2'])], [behavior('*', 'allow-all', 'api')], { id })] };
    const [command] = renderedCommands(httpsOnly, facts);
    const config = { Origins: { Quantity: 1, Items: [{ Id: 'api', CustomOriginConfig: { OriginProtocolPolicy: 'http-only', OriginSslProtocols: { Quantity: 2, Items: ['TLSv1', 'TLSv1.2'] } } }] }, DefaultCacheBehavior: { ViewerProtocolPolicy: 'allow-all' } };
    // `aws` stands in for the CLI: get-distribution-config prints the config, update-distribution prints (to stderr) what it was given.
    const aws = 'aws() { [ "$4" = "$ID" ] || exit 9; case "$2" in get-distribution-config) printf %s "$CONFIG";; update-distribution) printf %s "$8" >&2;; esac; }';
    const cwd = mkdtempSync(join(tmpdir(), 'readiness-cloudfront-fix-'));
    const run = spawnSync('sh', ['-c', `${aws}; ${command!}`], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, ID: id, CONFIG: JSON.stringify({ ETag: 'X', DistributionConfig: config }) } });
    const created = readdirSync(cwd);
    rmSync(cwd, { recursive: true, force: true });
    expect(created).toEqual([]);
    expect(run.status).toBe(0);
    const updated = JSON.parse(run.stderr) as typeof config;
    expect(updated.Origins.Items[0]!.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', OriginSslProtocols: { Quantity: 1, Items: ['TLSv1.2'] } });
    expect(updated.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
  });
});
