import { z } from './zod-package.js';
import { SECTIONS, SEVERITIES } from './model.js';

/** The JSON report contract (`--format json`); schema/report.schema.json is generated from it; src/report-json.ts writes a report, src/report-parse.ts reads one back. */

const sectionId = z.enum(Object.keys(SECTIONS) as [keyof typeof SECTIONS, ...(keyof typeof SECTIONS)[]]);
const severity = z.enum(SEVERITIES);
const status = z.enum(['pass', 'fail', 'unverified', 'not_applicable', 'waived']);
const band = z.enum(['green', 'yellow', 'red']);
const statusCounts = z.strictObject({ pass: z.number().int(), fail: z.number().int(), unverified: z.number().int(), not_applicable: z.number().int(), waived: z.number().int() });

const sectionScore = z.strictObject({
  id: sectionId,
  title: z.string(),
  score: z.number().min(0).max(100).nullable().describe('null when nothing in the section was evaluated'),
  band,
  assessed: z.boolean(),
  counts: statusCounts,
});

const evidenceValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number()])).readonly()]);

const waiver = z.strictObject({
  check: z.string(),
  resource: z.string().optional(),
  reason: z.string(),
  approvedBy: z.string(),
  expires: z.string().describe('YYYY-MM-DD'),
});

const layer = z.enum(['infrastructure', 'application', 'operational']);
const phase = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]);
const hipaa = z.array(z.string()).readonly().describe('45 CFR citations, e.g. 164.312(a)(2)(iv)');

const check = z.strictObject({
  id: z.string(),
  title: z.string(),
  failureTitle: z.string().describe('The title of a failing result'),
  risk: z.string().describe("Why it matters: the check's description"),
  section: sectionId,
  severity,
  layer,
  hipaa,
  phase,
  remediation: z.strictObject({
    text: z.string(),
    effortMinutes: z.number(),
    effortLabel: z.string().optional(),
    waitDays: z.number().optional().describe('Business days of waiting on someone else (a signature), beside the work'),
  }),
  scored: z.boolean(),
});

const result = z.strictObject({
  checkId: z.string().describe('The id of its entry in `checks`, which holds the check-level text (risk, HIPAA citations, remediation)'),
  title: z.string().optional().describe("Only when it is not the check's title for the status (failureTitle when fail, `Unverified: title` when unverified, else title), e.g. a waived failure"),
  section: sectionId,
  severity,
  status,
  resource: z.string(),
  code: z.string().describe('Stable finding code; `message` is its rendered template.'),
  message: z.string(),
  evidence: z.record(z.string(), evidenceValue),
  remediation: z
    .strictObject({
      text: z.string().optional().describe("Only when it is not the check's remediation text (an unverified result says first how to make it verifiable)"),
      command: z.string().optional().describe('The copy-pasteable fix for this resource, on an open result only (failed, unverified or waived): a passed or not-applicable result has nothing to fix'),
      needsEdit: z.boolean().optional().describe('Present (true) when `command` cannot run as shown: it holds a choice the tool cannot make (`placeholders`) or a control character from a name'),
      placeholders: z.array(z.string()).optional().describe('The `<placeholders>` of `command` to replace before running it, e.g. `<log-bucket>`'),
      manual: z.boolean().optional().describe('Present (true) when `command` only opens a console page: the change is made there by hand'),
    })
    .optional(),
  waiver: waiver.extend({ expired: z.boolean() }).optional(),
  account: z.string().optional().describe('With several AWS accounts or Supabase projects: the account id or project ref (also the first part of `resource`)'),
});

const head = {
  tool: z.strictObject({ name: z.literal('readiness'), version: z.string() }),
  generatedAt: z.iso.datetime(),
  project: z.string(),
  source: z.strictObject({
    kind: z.enum(['live', 'snapshot', 'demo']),
    account: z.string().optional(),
    principal: z.string().optional().describe('ARN of the AWS caller identity (STS)'),
    region: z.string().optional(),
    snapshot: z.string().optional(),
    snapshotSha256: z.string().regex(/^[0-9a-f]{64}$/).optional().describe('sha256 of the snapshot file the facts were read from'),
    collectedAt: z.string().optional(),
  }),
  verdict: z.enum(['READY', 'NOT_READY']),
  band,
  score: z.number().min(0).max(100),
  gate: z.strictObject({ minScore: z.number(), failOn: severity }),
  sections: z.array(sectionScore),
};
const tail = {
  expiredWaivers: z.array(waiver.extend({ expired: z.literal(true) })),
  // Added after the first reports: defaults keep earlier reports readable (e.g. as a --baseline or by `diff`).
  unusedWaivers: z.array(waiver).default([]).describe('Unexpired waivers that matched no open result: remove them'),
  notAssessed: z.array(sectionId),
  scope: z
    .strictObject({
      unused: z.array(z.strictObject({ service: z.string(), reason: z.string(), checks: z.array(z.string()) })).describe('Services declared unused under `unused:`'),
      off: z.array(z.strictObject({ check: z.string(), reason: z.string() })).describe('Checks turned off with `checks.<id>.off`'),
      notAssessed: z.array(z.strictObject({ reason: z.string(), checks: z.array(z.string()) })).describe('Checks not assessed inside an assessed section (a part of the config is absent)'),
      selection: z
        .strictObject({ only: z.array(z.string()), skip: z.array(z.string()), sections: z.array(z.string()), leftOut: z.array(z.string()).describe("The catalog's checks the selection left out") })
        .optional()
        .describe('`--only` / `--skip` / `--section` as given; absent when the run took every check'),
      partial: z.boolean().default(false).describe('Checks were left out (selection, `unused:`, `checks.<id>.off`): the verdict covers only what was assessed'),
    })
    .default({ unused: [], off: [], notAssessed: [], partial: false })
    .describe('What the run left out, and why'),
  exitReason: z
    .strictObject({
      code: z.union([z.literal(0), z.literal(1), z.literal(3)]),
      reason: z.enum(['ready', 'not-ready', 'could-not-see']),
      cause: z.string().optional().describe('For could-not-see: the failure most unverified results share, or why the evidence is stale (a snapshot older than gate.maxEvidenceAgeHours)'),
      fix: z.string().optional(),
    })
    .default({ code: 1, reason: 'not-ready' })
    .describe('The exit code and why (reports written before it read as not-ready): 3 means NOT READY only because the tool could not see (credentials, access, network, timeout)'),
  summary: statusCounts,
  audit: z
    .strictObject({
      facts: z.array(z.strictObject({ id: z.string(), description: z.string(), permissions: z.array(z.string()), read: z.boolean() })),
      signOff: z.strictObject({ preparedBy: z.string().optional(), reviewedBy: z.string().optional(), nextReview: z.string().optional() }),
    })
    .optional()
    .describe("What the run read (each fact, the read-only permissions it needs, whether it could be read) and the sign-off from the config's `report:`"),
  accounts: z
    .array(
      z.strictObject({
        kind: z.enum(['aws', 'supabase']),
        id: z.string().describe('AWS account id or Supabase project ref'),
        name: z.string().optional(),
        score: z.number().min(0).max(100).nullable(),
        band,
        sections: z.array(sectionScore),
        summary: statusCounts,
      }),
    )
    .optional()
    .describe("With several AWS accounts or Supabase projects: each one's own sections and score (the verdict is the whole report's)"),
};

export const reportSchema = z
  .strictObject({
    schemaVersion: z.literal(2),
    ...head,
    checks: z.array(check).describe('Every evaluated check, once, with its check-level text'),
    results: z.array(result),
    blockers: z.array(z.number().int().min(0)).describe('Indexes into `results` of the open (fail or unverified) results at or above gate.failOn'),
    ...tail,
  })
  .meta({ title: 'readiness report', description: 'The JSON report of `readiness check --format json` (schemaVersion 2).' });

export type JsonReport = z.output<typeof reportSchema>;
export type JsonResult = z.output<typeof result>;
export type JsonCheck = z.output<typeof check>;

/** The first JSON contract (readiness 0.1): every result carried its check's text, blockers were copies. Still read by `diff` and `--baseline`. */
const resultV1 = z.strictObject({
  checkId: z.string(),
  title: z.string(),
  risk: z.string(),
  section: sectionId,
  severity,
  layer,
  hipaa,
  phase,
  status,
  resource: z.string(),
  code: z.string(),
  message: z.string(),
  evidence: z.record(z.string(), evidenceValue),
  remediation: z.strictObject({ text: z.string(), command: z.string().optional(), effortMinutes: z.number(), effortLabel: z.string().optional(), waitDays: z.number().optional() }),
  waiver: waiver.extend({ expired: z.boolean() }).optional(),
  scored: z.boolean(),
});

export const reportSchemaV1 = z.strictObject({ schemaVersion: z.literal(1), ...head, results: z.array(resultV1), blockers: z.array(resultV1), ...tail });
export type JsonReportV1 = z.output<typeof reportSchemaV1>;
