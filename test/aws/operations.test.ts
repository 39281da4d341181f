import { APIGatewayClient, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { CreateSecretCommand, RotateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import apigatewayLogging from '../../checks/aws/aws.apigateway.logging.js';
import secretsRotation from '../../checks/aws/aws.secrets.rotation.js';
import cost from '../../checks/info/info.cost.js';
import { apiGatewayStages, apiGatewayV2Stages, costByService, secretsManagerSecrets } from '../../src/facts/aws-account.js';
import { deployRestApi } from '../support/mixed-account.js';
import { collectAws, sentActions, useMotoCredentials } from '../support/aws-collect.js';
import { unsafeActions } from '../support/iam-actions.js';
import { startMoto, type Moto } from '../support/moto.js';

let moto: Moto;
let secrets: SecretsManagerClient;
let apigateway: APIGatewayClient;

beforeAll(async () => {
  moto = await startMoto();
  useMotoCredentials(moto);
  secrets = new SecretsManagerClient({ region: 'us-east-1', endpoint: moto.endpoint });
  apigateway = new APIGatewayClient({ region: 'us-east-1', endpoint: moto.endpoint });
});
afterAll(async () => {
  secrets?.destroy();
  apigateway?.destroy();
  await moto?.stop();
});
beforeEach(() => moto.reset());

describe('aws.secrets.rotation against moto', () => {
  it('fails for a DB credential without rotation, passes once it rotates, reports static non-database secrets unless allowed', async () => {
    // Test-only dummy values: the collector never reads them (ListSecrets only).
    const db = await secrets.send(new CreateSecretCommand({ Name: 'prod/database/credentials', SecretString: '{"password":"dummy"}' }));
    const cdk = await secrets.send(new CreateSecretCommand({ Name: 'x1y2z3', SecretString: 'dummy', Tags: [{ Key: 'aws:cloudformation:logical-id', Value: 'DatabaseSecret3B817195' }] }));
    const other = await secrets.send(new CreateSecretCommand({ Name: 'prod/twilio', Description: 'SMS API key', SecretString: 'dummy' }));
    let run = await collectAws(moto, [secretsManagerSecrets]);
    expect(run.results(secretsRotation).sort()).toEqual(
      [
        [db.ARN!, 'fail', 'not-rotating'],
        [cdk.ARN!, 'fail', 'not-rotating'],
        [other.ARN!, 'fail', 'other-not-rotating'],
      ].sort(),
    );
    // A static vendor key may be allowed by name.
    const allowed = await collectAws(moto, [secretsManagerSecrets], { aws: { secrets: { allowNonRotating: ['prod/twilio'] } } });
    expect(allowed.results(secretsRotation).find(([resource]) => resource === other.ARN)).toEqual([other.ARN!, 'not_applicable', 'allowed-static']);
    const outcome = run.outcomes.get(secretsManagerSecrets.id);
    expect(JSON.stringify(outcome)).not.toContain('dummy');

    // moto differs from AWS: it accepts rotation rules without a rotation Lambda (AWS requires one
    // unless RDS manages the secret), which is enough to turn RotationEnabled on.
    await secrets.send(new RotateSecretCommand({ SecretId: db.ARN, RotationRules: { AutomaticallyAfterDays: 30 }, RotateImmediately: false }));
    run = await collectAws(moto, [secretsManagerSecrets]);
    expect(run.results(secretsRotation).find(([resource]) => resource === db.ARN)).toEqual([db.ARN!, 'pass', 'rotating']);
  });

  it('hole: rotation switched on but never done, or done once long ago, fails after two missed schedules, database secret or not', async () => {
    const never = await secrets.send(new CreateSecretCommand({ Name: 'prod/db-password', SecretString: 'dummy' }));
    const once = await secrets.send(new CreateSecretCommand({ Name: 'prod/stripe', SecretString: 'dummy' }));
    // A rotation function that cannot run: AWS keeps rotation on and never sets LastRotatedDate. moto gets there
    // by another path: it turns rotation on, then refuses the call because the function does not exist.
    const missing = 'arn:aws:lambda:us-east-1:123456789012:function:rotation-gone';
    await expect(secrets.send(new RotateSecretCommand({ SecretId: never.ARN, RotationLambdaARN: missing, RotationRules: { AutomaticallyAfterDays: 30 } }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await secrets.send(new RotateSecretCommand({ SecretId: once.ARN, RotationRules: { AutomaticallyAfterDays: 30 } }));
    const listed = (await collectAws(moto, [secretsManagerSecrets])).outcomes.get(secretsManagerSecrets.id) as { ok: true; value: { name: string; rotationEnabled: boolean; lastRotated: string | null; created: string | null }[] };
    expect(listed.value.map(({ name, rotationEnabled, lastRotated, created }) => [name, rotationEnabled, lastRotated !== null, created !== null])).toEqual([
      ['prod/db-password', true, false, true],
      ['prod/stripe', true, true, true],
    ]);
    const at = async (days: number) => (await collectAws(moto, [secretsManagerSecrets], {}, new Date(Date.now() + days * 86_400_000))).results(secretsRotation);
    expect(await at(59)).toEqual([[never.ARN!, 'pass', 'rotating'], [once.ARN!, 'pass', 'other-rotating']]);
    expect(await at(61)).toEqual([[never.ARN!, 'fail', 'rotation-stale'], [once.ARN!, 'fail', 'other-rotation-stale']]);
  });
});

describe('aws.apigateway.logging against moto', () => {
  const api = (name: string) => deployRestApi(apigateway, name);

  it('fails for a stage without access logging or throttling, passes once both are set', async () => {
    const id = await api('ehr-api');
    expect((await collectAws(moto, [apiGatewayStages, apiGatewayV2Stages])).results(apigatewayLogging)).toEqual([[`${id}/prod`, 'fail', 'no-logging-no-throttling']]);

    await apigateway.send(new UpdateStageCommand({
      restApiId: id, stageName: 'prod',
      patchOperations: [{ op: 'replace', path: '/*/*/throttling/rateLimit', value: '100' }, { op: 'replace', path: '/*/*/throttling/burstLimit', value: '200' }],
    }));
    expect((await collectAws(moto, [apiGatewayStages, apiGatewayV2Stages])).results(apigatewayLogging)).toEqual([[`${id}/prod`, 'fail', 'no-access-logging']]);

    await apigateway.send(new UpdateStageCommand({
      restApiId: id, stageName: 'prod',
      patchOperations: [
        { op: 'replace', path: '/accessLogSettings/destinationArn', value: 'arn:aws:logs:us-east-1:123456789012:log-group:api-access' },
        { op: 'replace', path: '/accessLogSettings/format', value: '$context.requestId' },
      ],
    }));
    expect((await collectAws(moto, [apiGatewayStages, apiGatewayV2Stages])).results(apigatewayLogging)).toEqual([[`${id}/prod`, 'pass', 'configured']]);
  });
});

describe('info.cost against moto (Cost Explorer seeded through /moto-api/static/ce/cost-and-usage-results)', () => {
  const group = (service: string, amount: string) => ({ Keys: [service], Metrics: { UnblendedCost: { Amount: amount, Unit: 'USD' } } });
  async function seed(lastMonth: [string, string][], monthToDate: [string, string][]) {
    // moto answers GetCostAndUsage with empty results unless a result is queued for it first.
    const response = await fetch(`${moto.endpoint}/moto-api/static/ce/cost-and-usage-results`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        results: [
          {
            ResultsByTime: [
              { TimePeriod: { Start: '2025-09-01', End: '2025-10-01' }, Total: {}, Groups: lastMonth.map(([s, a]) => group(s, a)), Estimated: false },
              { TimePeriod: { Start: '2025-10-01', End: '2025-10-12' }, Total: {}, Groups: monthToDate.map(([s, a]) => group(s, a)), Estimated: true },
            ],
          },
        ],
      }),
    });
    expect(response.status).toBe(201);
  }
  const now = new Date('2025-10-11T22:30:00Z');

  it('is under the budget with the seed\'s spend', async () => {
    await seed([['Amazon Relational Database Service', '64.80'], ['EC2 - Other', '32.85'], ['Amazon CloudFront', '12.40']], [['Amazon Relational Database Service', '23.76']]);
    const run = await collectAws(moto, [costByService], { budget: { monthlyUsd: 250 } }, now);
    expect(run.results(cost)).toEqual([['aws', 'pass', 'under-budget']]);
    const outcome = run.outcomes.get(costByService.id) as { ok: true; value: { lastMonth: { total: number; byService: Record<string, number> } } };
    expect(outcome.value.lastMonth.total).toBe(110.05);
    expect(outcome.value.lastMonth.byService['EC2 - Other']).toBe(32.85);
  });

  it('is over the budget when last month cost more', async () => {
    await seed([['Amazon Relational Database Service', '240.00'], ['Amazon CloudFront', '30.00']], []);
    const run = await collectAws(moto, [costByService], { budget: { monthlyUsd: 250 } }, now);
    expect(run.results(cost)).toEqual([['aws', 'fail', 'over-budget']]);
  });

  it('unseeded moto answers no data: not applicable, never a pass', async () => {
    const run = await collectAws(moto, [costByService], { budget: { monthlyUsd: 250 } }, now);
    expect(run.results(cost)).toEqual([['aws', 'not_applicable', 'no-data']]);
  });
});

describe('read-only at run time', () => {
  it('every command the collectors sent above is read-only and granted by iam/readiness-policy.json', async () => {
    expect(sentActions.size).toBeGreaterThan(0);
    expect(await unsafeActions(sentActions)).toEqual([]);
  });
});
