import { EnableSecurityHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import securityhub from '../../checks/aws/aws.securityhub.enabled.js';
import { securityHubHubs } from '../../src/facts/aws-detection.js';
import { collectAws, motoForFile } from '../support/aws-collect.js';
import { jsonAnswer, startRewritingProxy, type RewritingProxy } from '../support/rewriting-proxy.js';

// A hub enabled with --no-enable-default-standards evaluates no control and produces no finding: it is on, and useless.
// moto 5.2 keeps no standards and has no GetEnabledStandards (POST /standards/get): this proxy answers it as AWS
// does, from `subscriptions`, a page of `PAGE` at a time (NextToken is the index of the next one).
const aws = motoForFile();
const PAGE = 2;
const FSBP = 'arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0';
const CIS = 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0';
const PCI = 'arn:aws:securityhub:us-east-1::standards/pci-dss/v/3.2.1';
const subscription = (standardsArn: string, status: string) => ({
  StandardsSubscriptionArn: `arn:aws:securityhub:us-east-1:123456789012:subscription/${standardsArn.split('/').slice(1).join('/')}`,
  StandardsArn: standardsArn,
  StandardsInput: {},
  StandardsStatus: status,
  ...(status === 'INCOMPLETE' || status === 'FAILED' ? { StandardsStatusReason: { StatusReasonCode: 'NO_AVAILABLE_CONFIGURATION_RECORDER' } } : {}),
});
let subscriptions: ReturnType<typeof subscription>[] = [];
let denied = false;
let requests = 0;
let proxy: RewritingProxy;
beforeAll(async () => {
  proxy = await startRewritingProxy(aws.moto.endpoint, {
    'securityhub:POST /standards/get': {
      reply: (body) => {
        requests++;
        if (denied) return jsonAnswer(403, { __type: 'AccessDeniedException', message: 'not authorized to perform: securityhub:GetEnabledStandards' });
        const start = Number((JSON.parse(body || '{}') as { NextToken?: string }).NextToken ?? 0);
        const next = start + PAGE < subscriptions.length ? { NextToken: String(start + PAGE) } : {};
        return jsonAnswer(200, { StandardsSubscriptions: subscriptions.slice(start, start + PAGE), ...next });
      },
    },
  });
});
afterAll(async () => {
  await proxy?.close();
});
beforeEach(() => {
  subscriptions = [];
  denied = false;
  requests = 0;
});

const hubOn = () => aws.client(SecurityHubClient).send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
const collect = () => collectAws({ endpoint: proxy.endpoint }, [securityHubHubs]);

describe('aws.securityhub.enabled: a hub that evaluates no standard', () => {
  it('enabled with --no-enable-default-standards (no standard subscribed) fails no-standards', async () => {
    await hubOn();
    expect((await collect()).results(securityhub)).toEqual([['us-east-1', 'fail', 'no-standards']]);
  });

  it('every subscribed standard INCOMPLETE, FAILED or being deleted fails no-standards', async () => {
    await hubOn();
    subscriptions = [subscription(FSBP, 'INCOMPLETE'), subscription(CIS, 'FAILED'), subscription(PCI, 'DELETING')];
    expect((await collect()).results(securityhub)).toEqual([['us-east-1', 'fail', 'no-standards']]);
  });

  it('a standard still being enabled (PENDING) and none READY is unverified', async () => {
    await hubOn();
    subscriptions = [subscription(FSBP, 'PENDING')];
    expect((await collect()).results(securityhub)).toEqual([['us-east-1', 'unverified', 'standards-pending']]);
  });

  it('a READY standard on the second page passes, every page read', async () => {
    await hubOn();
    subscriptions = [subscription(CIS, 'INCOMPLETE'), subscription(PCI, 'DELETING'), subscription(FSBP, 'READY')];
    const run = await collect();
    expect(run.results(securityhub)).toEqual([['us-east-1', 'pass', 'enabled']]);
    expect(requests).toBe(2);
  });

  it('standards that cannot be read (access denied) are unverified, not passed', async () => {
    await hubOn();
    denied = true;
    expect((await collect()).results(securityhub)).toEqual([['us-east-1', 'unverified', 'standards-not-read']]);
  });

  it('an endpoint without GetEnabledStandards (moto itself) is unverified, not passed', async () => {
    await hubOn();
    expect((await collectAws(aws.moto, [securityHubHubs])).results(securityhub)).toEqual([['us-east-1', 'unverified', 'standards-not-read']]);
  });

  it('a hub that is off still fails disabled, its standards not asked for', async () => {
    expect((await collect()).results(securityhub)).toEqual([['us-east-1', 'fail', 'disabled']]);
    expect(requests).toBe(0);
  });
});
