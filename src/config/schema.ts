import { z } from '../zod-package.js';
import { hasUrlCredentials } from '../collectors/url-credentials.js';
import { customChecksSchema } from '../declarative/schema.js';
import { UNUSED_SERVICE_NAMES } from './services.js';

const date = z.iso.date().describe('YYYY-MM-DD');
const severity = z.enum(['critical', 'high', 'medium', 'low']);

const accountId = z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits');

const awsSchema = z.strictObject({
  region: z.string().min(1).optional().describe('Default region; AWS_REGION is used when absent.'),
  regions: z.array(z.string().min(1)).min(1).optional().describe('Every region to inspect (defaults to [region]).'),
  profile: z.string().min(1).optional().describe('Named profile; --profile and AWS_PROFILE also work.'),
  endpoint: z.url().optional().describe('Endpoint override (LocalStack, moto); AWS_ENDPOINT_URL is honoured too.'),
  accountId: z.string().regex(/^\d{12}$/).optional().describe('Expected account; a different caller account is reported.'),
  accounts: z
    .array(
      z
        .strictObject({
          id: accountId,
          roleArn: z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/, 'an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)'),
          externalId: z.string().min(2).optional().describe('The external id the role trust policy requires, if any.'),
          regions: z.array(z.string().min(1)).min(1).optional().describe('Regions of this account (defaults to aws.regions).'),
          name: z.string().min(1).optional().describe('Shown in the report beside the account id.'),
        })
        .refine((account) => account.roleArn.split(':')[4] === account.id, { message: 'roleArn must be a role of account `id`', path: ['roleArn'] }),
    )
    .min(1)
    .optional()
    .describe('Several accounts in one report: a read-only role is assumed in each (session name `readiness`), with the caller credentials.'),
  organization: z.boolean().optional().describe('Assess every active member account of the AWS Organization (organizations:ListAccounts), assuming `roleName` in each.'),
  roleName: z.string().min(1).optional().describe('With `organization: true`: the read-only role assumed in each member account.'),
  externalId: z.string().min(2).optional().describe('With `organization: true`: the external id the member roles require, if any.'),
  rds: z
    .strictObject({
      clusters: z.array(z.string().min(1)).optional().describe('Cluster identifiers; omitted: every cluster in the regions.'),
      instances: z.array(z.string().min(1)).optional().describe('Standalone instance identifiers; omitted: every one.'),
      minBackupRetentionDays: z.number().int().min(1).max(35).default(30),
      serverless: z
        .strictObject({ minCapacity: z.number().positive().optional(), maxCapacity: z.number().positive().optional() })
        .optional()
        .describe('Allowed Serverless v2 capacity bounds, in ACU.'),
    })
    .default({ minBackupRetentionDays: 30 }),
  s3: z
    .strictObject({
      buckets: z
        .array(
          z.strictObject({
            name: z.string().min(3),
            versioning: z
              .enum(['required', 'optional'])
              .optional()
              .describe('Omitted: required when the bucket holds PHI. `optional` on a PHI bucket is an opt-out the report names.'),
            glacierAfterDays: z.number().int().positive().optional(),
            phi: z.boolean().default(true).describe('Holds PHI: encryption, TLS-only and logging apply.'),
          }),
        )
        .optional()
        .describe('Buckets to assess; omitted: every bucket of the account.'),
    })
    .default({}),
  cloudwatch: z
    .strictObject({
      requiredAlarms: z
        .array(
          z.strictObject({
            namespace: z.string().min(1),
            metric: z.string().min(1),
            maxThreshold: z.number().optional().describe('The alarm must fire when the metric rises, at a threshold no higher than this.'),
            minThreshold: z
              .number()
              .optional()
              .describe('For a metric whose fall is the danger (free storage, free memory): the alarm must fire when it falls, at a threshold no lower than this.'),
            dimensions: z.record(z.string(), z.string()).optional(),
            maxMinutesToAlarm: z
              .number()
              .positive()
              .default(15)
              .describe('The alarm must fire within this many minutes of the metric crossing its threshold: Period × (DatapointsToAlarm or EvaluationPeriods).'),
          }).refine((want) => want.maxThreshold === undefined || want.minThreshold === undefined, {
            message: 'give maxThreshold (the metric rising) or minThreshold (the metric falling), not both',
          }),
        )
        .default([]),
    })
    .default({ requiredAlarms: [] }),
  secrets: z
    .strictObject({
      allowNonRotating: z
        .array(z.string().min(1))
        .default([])
        .describe('Secrets (names or ARNs) that are not database credentials and may stay static, e.g. a vendor key the vendor cannot rotate.'),
    })
    .default({ allowNonRotating: [] }),
  cognito: z
    .strictObject({
      userPools: z.array(z.string()).optional(),
      identityPools: z.array(z.string()).optional(),
      patientPools: z.array(z.string()).default([]).describe('User pools of patients, where MFA OPTIONAL is accepted (staff pools need ON).'),
    })
    .optional(),
}).superRefine((aws, issues) => {
  if (aws.organization && aws.accounts) issues.addIssue({ code: 'custom', message: 'use `accounts` or `organization`, not both', path: ['organization'] });
  if (aws.organization && !aws.roleName) issues.addIssue({ code: 'custom', message: '`organization: true` needs `roleName`, the role assumed in each member account', path: ['organization'] });
  if ((aws.accounts || aws.organization) && aws.accountId) issues.addIssue({ code: 'custom', message: 'with several accounts, each account names its id: drop `accountId`', path: ['accountId'] });
  const ids = (aws.accounts ?? []).map((account) => account.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) issues.addIssue({ code: 'custom', message: `account ${repeated} is listed twice`, path: ['accounts'] });
});

const projectRef = z.string().regex(/^[a-z]{20}$/, 'a project ref is 20 lowercase letters');

const supabaseSchema = z.strictObject({
  projectRef: projectRef.optional().describe('The project; or `projects` for several.'),
  projects: z
    .array(
      z.strictObject({
        ref: projectRef,
        name: z.string().min(1).optional().describe('Shown in the report beside the ref, e.g. staging, prod.'),
        dbUrl: z.string().optional().describe("This project's Postgres connection; use ${NAME}."),
        accessToken: z.string().optional().describe("This project's Management API token, when not the shared one."),
      }),
    )
    .min(1)
    .optional()
    .describe('Several projects in one report (e.g. staging and prod); the other settings apply to each.'),
  accessToken: z.string().optional().describe('Management API token; use ${SUPABASE_ACCESS_TOKEN}, never a literal.'),
  apiUrl: z
    .url()
    .refine((url) => !hasUrlCredentials(url), 'must not carry a user or password (the token goes in accessToken)')
    .default('https://api.supabase.com'),
  dbUrl: z.string().optional().describe('Direct Postgres connection for schema checks; use ${SUPABASE_DB_URL}.'),
  requiredSecrets: z.array(z.string().min(1)).default([]),
  functionsDir: z.string().optional(),
  migrationsDir: z.string().optional(),
  publicFunctions: z.array(z.string()).default([]),
  phiTables: z.array(z.string()).default([]),
  publicBuckets: z.array(z.string()).default([]).describe('Storage buckets (by id) allowed to be public.'),
  requiredExtensions: z.array(z.string()).default(['pgcrypto', 'uuid-ossp']),
}).superRefine((supabase, issues) => {
  if ((supabase.projectRef === undefined) === (supabase.projects === undefined)) issues.addIssue({ code: 'custom', message: 'give `projectRef` or `projects` (one of them)', path: ['projectRef'] });
  const refs = (supabase.projects ?? []).map((project) => project.ref);
  const repeated = refs.find((ref, i) => refs.indexOf(ref) !== i);
  if (repeated) issues.addIssue({ code: 'custom', message: `project ${repeated} is listed twice`, path: ['projects'] });
});

const domainSchema = z.strictObject({
  name: z.string().min(3),
  hosts: z.record(z.string(), z.string()).default({}),
  productionOrigins: z.array(z.url()).default([]),
  resolve: z.record(z.string(), z.string()).default({}).describe('Like curl --resolve: host → address[:port].'),
  frontendBuildDir: z.string().optional(),
});

const probeSchema = z.strictObject({
  id: z.string().min(1),
  url: z.url(),
  expectStatus: z.number().int().min(100).max(599).default(200),
  expectBody: z.string().min(1).optional().describe('Text the answer must contain (e.g. `"status":"ok"`); without it, an HTML page answer is unverified.'),
  timeoutMs: z.number().int().positive().default(5000),
});

const attestationSchema = z
  .strictObject({
    signed: date.optional(),
    date: date.optional(),
    by: z.string().min(1),
    evidence: z.string().min(1),
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'a sha256 is 64 hexadecimal characters')
      .optional()
      .describe('sha256 of the evidence as reviewed: a file or page that no longer matches fails. Required for evidence that is a web page.'),
    expires: date.optional(),
  })
  .refine((a) => a.signed !== undefined || a.date !== undefined, { message: 'an attestation needs `signed` or `date`' });

const waiverSchema = z.strictObject({
  check: z.string().min(1).describe('A check id or an id prefix (aws.s3).'),
  resource: z.string().optional(),
  reason: z.string().min(1),
  approvedBy: z.string().min(1),
  expires: date,
});

export const configSchema = z.strictObject({
  project: z.string().min(1),
  aws: awsSchema.optional(),
  supabase: supabaseSchema.optional(),
  domain: domainSchema.optional(),
  probes: z.array(probeSchema).default([]),
  evidence: z
    .strictObject({
      e2e: z.string().optional().describe('Glob of JUnit XML reports.'),
      loadTest: z
        .strictObject({
          summary: z.string(),
          minUsers: z.number().int().positive().default(50),
          maxP95Ms: z.number().positive().default(800),
          maxErrorRate: z.number().min(0).max(1).default(0.01),
        })
        .optional(),
      errorTrackingDsn: z.string().optional(),
    })
    .default({}),
  attestations: z.record(z.string(), attestationSchema).default({}),
  vendors: z.array(z.string()).default([]),
  documents: z.record(z.string(), z.string()).default({}),
  unused: z
    .array(
      z.strictObject({
        service: z.enum(UNUSED_SERVICE_NAMES),
        reason: z.string().min(1).describe('Why the stack does without it, for the auditor.'),
      }),
    )
    .default([])
    .describe('AWS services the stack does not use: their checks are not applicable, "declared unused", and listed in the report.'),
  plugins: z
    .array(z.string().min(1))
    .default([])
    .describe('Checks that are not built in: local modules (`./readiness/checks/*.ts`, globs resolved against this file\'s folder) and installed packages (`readiness-plugin-<name>`, `@scope/readiness-plugin`). See docs/plugins.md.'),
  checks: z
    .record(z.string(), z.looseObject({ severity: severity.optional(), off: z.string().min(1).optional().describe('Turns the check off; the reason is shown in the report.') }))
    .default({})
    .describe("Per-check settings: `<check id>: { severity, off: reason, ...the check's options }`."),
  customChecks: customChecksSchema,
  budget: z.strictObject({ monthlyUsd: z.number().positive() }).optional(),
  gate: z
    .strictObject({
      minScore: z.number().min(0).max(100).default(90),
      failOn: severity.default('critical'),
      maxWaiverDays: z.number().int().positive().default(365).describe('A waiver may expire at most this many days ahead.'),
      maxEvidenceAgeHours: z
        .number()
        .int()
        .positive()
        .default(168)
        .describe('`check --snapshot`: facts collected more than this many hours before the report\'s date (or after it) cannot make it READY; the run exits 3 until they are collected again. The demo is judged at its own date.'),
    })
    .default({ minScore: 90, failOn: 'critical', maxWaiverDays: 365, maxEvidenceAgeHours: 168 }),
  waivers: z.array(waiverSchema).default([]),
  report: z
    .strictObject({
      preparedBy: z.string().min(1).optional().describe('Who prepared the assessment (the HTML report\'s sign-off block).'),
      reviewedBy: z.string().min(1).optional().describe('Who reviewed it.'),
      nextReviewDays: z.number().int().positive().optional().describe('Days from the report date to the next review.'),
    })
    .optional()
    .describe('The sign-off of the auditor\'s document; what is absent is left as a line to sign.'),
});

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type CheckSettings = Config['checks'][string];
export type Attestation = Config['attestations'][string];
