import { z } from '../zod-package.js';
import { defineCheck, defineFact, type AnyCheck, type Finding } from '../model.js';
import { describeExpectation, describeMiss, meets, observationSchema } from './expect.js';
import { factIdOf, metaOf } from './meta.js';
import type { CustomCheck } from './schema.js';

export const awsAnswerSchema = z.object({
  /** `s3:ListBuckets` */
  action: z.string(),
  region: z.string(),
  pages: z.number().int().positive(),
  /** With `each`: every element's name and what `expect.path` selects in it. */
  elements: z.array(z.object({ resource: z.string(), observation: observationSchema })).nullable(),
  /** With `count`: how many elements `count.path` selects. */
  count: z.number().int().nonnegative().nullable(),
});
export type AwsAnswer = z.output<typeof awsAnswerSchema>;

/** The IAM action of an SDK call: the service's signing prefix and the operation. */
export const IAM_PREFIX: Record<string, string> = {
  acm: 'acm',
  'api-gateway': 'apigateway',
  apigatewayv2: 'apigateway',
  backup: 'backup',
  cloudfront: 'cloudfront',
  cloudtrail: 'cloudtrail',
  cloudwatch: 'cloudwatch',
  'cloudwatch-logs': 'logs',
  'cognito-identity': 'cognito-identity',
  'cognito-identity-provider': 'cognito-idp',
  'config-service': 'config',
  'cost-explorer': 'ce',
  ec2: 'ec2',
  guardduty: 'guardduty',
  iam: 'iam',
  kms: 'kms',
  rds: 'rds',
  s3: 's3',
  'secrets-manager': 'secretsmanager',
  securityhub: 'securityhub',
  sns: 'sns',
  sts: 'sts',
};

export function awsAction(spec: NonNullable<CustomCheck['aws']>): string {
  return `${IAM_PREFIX[spec.service]}:${spec.operation}`;
}

export function awsFact(entry: CustomCheck) {
  const spec = entry.aws!;
  return defineFact({ id: factIdOf('aws', entry.id), description: `Answer of ${awsAction(spec)} (${entry.id})`, permissions: [awsAction(spec)], schema: awsAnswerSchema });
}

const MESSAGES = {
  met: '{{resource}}: {{expectation}}',
  unmet: '{{resource}}: expected {{expectation}}: {{why}}',
  'not-judged': '{{resource}}: {{expectation}}: {{why}}',
  none: '{{action}} listed no element at {{path}}: there is nothing to hold the expectation (allowNone: true makes this not applicable)',
  'none-allowed': '{{action}} listed no element at {{path}} (allowNone)',
  'count-within': '{{action}}: {{count}} element(s) at {{path}}, within {{bounds}}',
  'count-outside': '{{action}}: {{count}} element(s) at {{path}}, outside {{bounds}}',
};

export function compileAws(entry: CustomCheck): AnyCheck {
  const spec = entry.aws!;
  const action = awsAction(spec);
  return defineCheck({
    meta: metaOf(entry, `${action}: ${spec.expect ? `every element of ${spec.each} must meet ${describeExpectation(spec.expect)}` : `the count of ${spec.count!.path} must be within bounds`}; an answer that cannot be had is unverified, never a pass.`, MESSAGES),
    facts: { answer: awsFact(entry) },
    evaluate({ answer }): Finding[] {
      const evidence = { action: answer.action, region: answer.region, pages: answer.pages };
      if (spec.count) {
        const { min, max, path } = spec.count;
        const count = answer.count ?? 0;
        const bounds = `[${min ?? 0}, ${max ?? '∞'}]`;
        const within = (min === undefined || count >= min) && (max === undefined || count <= max);
        return [{ resource: action, status: within ? 'pass' : 'fail', code: within ? 'count-within' : 'count-outside', args: { action, count, path, bounds }, evidence: { ...evidence, count } }];
      }
      const expectation = spec.expect!;
      const elements = answer.elements ?? [];
      if (elements.length === 0) {
        const args = { action, path: spec.each! };
        return [spec.allowNone ? { resource: action, status: 'not_applicable', code: 'none-allowed', args, evidence } : { resource: action, status: 'fail', code: 'none', args, evidence }];
      }
      return elements.map(({ resource, observation }): Finding => {
        const verdict = meets(expectation, observation);
        const args = { expectation: describeExpectation(expectation) };
        const shown = { ...evidence, values: observation.values.map((value) => (value === null ? 'null' : typeof value === 'boolean' ? String(value) : value)) };
        if (verdict.met) return { resource, status: 'pass', code: 'met', args, evidence: shown };
        return { resource, status: verdict.why === 'truncated' ? 'unverified' : 'fail', code: verdict.why === 'truncated' ? 'not-judged' : 'unmet', args: { ...args, why: describeMiss(verdict) }, evidence: shown };
      });
    },
  });
}
