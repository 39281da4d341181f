/**
 * AWS services a stack may not use, and the check-id prefixes they take out of scope when
 * declared under `unused:` (a stack on Supabase Auth has no Cognito; a static site may have no RDS).
 */
export const UNUSED_SERVICES = {
  rds: ['aws.rds'],
  s3: ['aws.s3'],
  cloudfront: ['aws.cloudfront'],
  acm: ['aws.acm'],
  cognito: ['aws.cognito'],
  apigateway: ['aws.apigateway'],
  'secrets-manager': ['aws.secrets'],
} as const satisfies Record<string, readonly string[]>;

export type UnusedService = keyof typeof UNUSED_SERVICES;
export const UNUSED_SERVICE_NAMES = Object.keys(UNUSED_SERVICES) as [UnusedService, ...UnusedService[]];
