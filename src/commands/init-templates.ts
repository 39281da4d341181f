/** Commented-out config sections `readiness init` cannot discover from AWS; the wording follows README.md's config table. */

export const HEADER = [
  ' readiness config written by `readiness init` from what the AWS account already has.',
  ' Review every list below: a listed resource is assessed, an omitted list means "every one found".',
  ' Secrets never belong in this file: use ${NAME} to read them from the environment.',
].join('\n');

export function templates(cloudfront: string[], include: { domain: boolean; supabase: boolean } = { domain: true, supabase: true }): string {
  return [
    ...(include.supabase
      ? [
          ' supabase:',
          '   projectRef: abcdefghijklmnopqrst          # 20 lowercase letters',
          '   accessToken: ${SUPABASE_ACCESS_TOKEN}     # Management API token, never a literal',
          '   dbUrl: ${SUPABASE_DB_URL}                 # direct Postgres URL for schema and migration checks',
          '   requiredSecrets: []                       # Edge Function secret names that must exist (values are never read)',
          '   functionsDir: supabase/functions          # local folders, relative to this file',
          '   migrationsDir: supabase/migrations',
          '   publicFunctions: []                       # functions allowed to skip JWT verification',
          '   phiTables: []                             # tables that must carry audit logging',
          '   publicBuckets: []                         # storage buckets allowed to be public',
          '   requiredExtensions: [pgcrypto, uuid-ossp]',
          '',
        ]
      : []),
    ...cloudfront.map((line) => ` ${line}`),
    ...(include.domain
      ? [
          ' domain:',
          '   name: example.com                         # apex',
          '   hosts: { app: app.example.com, api: api.example.com }',
          '   productionOrigins: [https://app.example.com]   # origins CORS must allow (and nothing else, never *)',
          '   resolve: {}                               # like curl --resolve: host: address[:port], to probe CloudFront before the DNS cut-over',
          '   frontendBuildDir: dist                    # built frontend, scanned for leaked keys and the error-tracker DSN',
          '',
        ]
      : []),
    ' probes:                                     # health probes',
    '   - { id: api-health, url: https://api.example.com/health, expectStatus: 200, timeoutMs: 5000 }',
    '',
    ' evidence:',
    "   e2e: 'reports/e2e/*.xml'                  # glob of JUnit XML reports",
    '   loadTest: { summary: reports/k6-summary.json, minUsers: 50, maxP95Ms: 800, maxErrorRate: 0.01 }   # k6 --summary-export',
    '   errorTrackingDsn: ${SENTRY_DSN}           # error tracker DSN of the frontend',
    '',
    ' attestations:                               # local evidence files are hashed (sha256) into the report',
    '   aws-baa: { signed: 2025-01-15, by: Jane Doe, evidence: docs/compliance/aws-baa.pdf, expires: 2026-01-15 }',
    '',
    ' vendors: [supabase]                         # vendors handling PHI; each needs a <vendor>-baa attestation',
    '',
    ' documents:                                  # name: path, reviewed within 12 months (front matter reviewed:, else last commit)',
    '   incident-response: docs/incident-response.md',
    '',
    ' gate: { minScore: 90, failOn: critical }    # READY needs this score and no open finding of this severity or worse',
  ].join('\n');
}
