import { CreateDetectorCommand, GuardDutyClient, UpdateDetectorCommand } from '@aws-sdk/client-guardduty';
import { describe, expect, it } from 'vitest';
import guardduty from '../../checks/aws/aws.guardduty.enabled.js';
import { guardDutyDetectors } from '../../src/facts/aws-detection.js';
import { collectAws, motoForFile, sentActions } from '../support/aws-collect.js';
import { unsafeActions } from '../support/iam-actions.js';

const aws = motoForFile();

const plans = (s3: 'ENABLED' | 'DISABLED', rds: 'ENABLED' | 'DISABLED') => [
  { Name: 'S3_DATA_EVENTS' as const, Status: s3 },
  { Name: 'RDS_LOGIN_EVENTS' as const, Status: rds },
];

describe('GuardDuty detectors collector: protection plans, against moto', () => {
  it('records each detector’s features; S3 Protection off fails, then passes once it is on', async () => {
    const client = aws.client(GuardDutyClient);
    const { DetectorId } = await client.send(new CreateDetectorCommand({ Enable: true, Features: plans('DISABLED', 'ENABLED') }));
    let run = await collectAws(aws.moto, [guardDutyDetectors]);
    const outcome = run.outcomes.get(guardDutyDetectors.id);
    expect(outcome).toMatchObject({
      ok: true,
      value: [{ region: 'us-east-1', detectors: [{ id: DetectorId, status: 'ENABLED', features: [{ name: 'S3_DATA_EVENTS', status: 'DISABLED' }, { name: 'RDS_LOGIN_EVENTS', status: 'ENABLED' }] }] }],
    });
    expect(run.results(guardduty)).toEqual([['us-east-1', 'fail', 'protection-off']]);

    await client.send(new UpdateDetectorCommand({ DetectorId, Features: plans('ENABLED', 'ENABLED') }));
    run = await collectAws(aws.moto, [guardDutyDetectors]);
    expect(run.results(guardduty)).toEqual([['us-east-1', 'pass', 'enabled']]);
  });

  it('RDS Protection off fails', async () => {
    await aws.client(GuardDutyClient).send(new CreateDetectorCommand({ Enable: true, Features: plans('ENABLED', 'DISABLED') }));
    expect((await collectAws(aws.moto, [guardDutyDetectors])).results(guardduty)).toEqual([['us-east-1', 'fail', 'protection-off']]);
  });

  it('a detector created without features: moto lists none (AWS would list each plan), so nothing is known to be on: unverified', async () => {
    // moto differs from AWS: CreateDetector without Features turns the optional plans on on AWS, while moto's
    // GetDetector then answers `features: []`. Absent from the answer is "not reported", never "on".
    await aws.client(GuardDutyClient).send(new CreateDetectorCommand({ Enable: true }));
    const run = await collectAws(aws.moto, [guardDutyDetectors]);
    expect(run.outcomes.get(guardDutyDetectors.id)).toMatchObject({ ok: true, value: [{ detectors: [{ status: 'ENABLED', features: [] }] }] });
    expect(run.results(guardduty)).toEqual([['us-east-1', 'unverified', 'features-not-reported']]);
  });

  it('sends only read-only calls', async () => {
    await aws.client(GuardDutyClient).send(new CreateDetectorCommand({ Enable: true, Features: plans('ENABLED', 'ENABLED') }));
    await collectAws(aws.moto, [guardDutyDetectors]);
    expect([...sentActions].filter((a) => a.startsWith('guardduty:')).sort()).toEqual(['guardduty:GetDetector', 'guardduty:ListDetectors']);
    expect(await unsafeActions(sentActions)).toEqual([]);
  });
});
