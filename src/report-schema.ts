import { z } from 'zod';
import type { Report } from './model.js';
import { SECTIONS, SEVERITIES } from './model.js';

/** The JSON report contract (`--format json`), mirrored from `Report` in model.ts; schema/report.schema.json is generated from it. */

const sectionId = z.enum(Object.keys(SECTIONS) as [keyof typeof SECTIONS, ...(keyof typeof SECTIONS)[]]);
const severity = z.enum(SEVERITIES);
const status = z.enum(['pass', 'fail', 'unverified', 'not_applicable', 'waived']);
const band = z.enum(['green', 'yellow', 'red']);
const statusCounts = z.strictObject({ pass: z.number().int(), fail: z.number().int(), unverified: z.number().int(), not_applicable: z.number().int(), waived: z.number().int() });

const evidenceValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number()])).readonly()]);

const waiver = z.strictObject({
  check: z.string(),
  resource: z.string().optional(),
  reason: z.string(),
  approvedBy: z.string(),
  expires: z.string().describe('YYYY-MM-DD'),
});

const result = z.strictObject({
  checkId: z.string(),
  title: z.string(),
  risk: z.string().describe("Why it matters: the check's description"),
  section: sectionId,
  severity,
  layer: z.enum(['infrastructure', 'application', 'operational']),
  hipaa: z.array(z.string()).readonly().describe('45 CFR citations, e.g. 164.312(a)(2)(iv)'),
  phase: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
  status,
  resource: z.string(),
  code: z.string().describe('Stable finding code; `message` is its rendered template.'),
  message: z.string(),
  evidence: z.record(z.string(), evidenceValue),
  remediation: z.strictObject({ text: z.string(), command: z.string().optional(), effortMinutes: z.number(), effortLabel: z.string().optional() }),
  waiver: waiver.extend({ expired: z.boolean() }).optional(),
  scored: z.boolean(),
});

export const reportSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    tool: z.strictObject({ name: z.literal('readiness'), version: z.string() }),
    generatedAt: z.iso.datetime(),
    project: z.string(),
    source: z.strictObject({
      kind: z.enum(['live', 'snapshot', 'demo']),
      account: z.string().optional(),
      principal: z.string().optional().describe('ARN of the AWS caller identity (STS)'),
      region: z.string().optional(),
      snapshot: z.string().optional(),
      collectedAt: z.string().optional(),
    }),
    verdict: z.enum(['READY', 'NOT_READY']),
    band,
    score: z.number().min(0).max(100),
    gate: z.strictObject({ minScore: z.number(), failOn: severity }),
    sections: z.array(
      z.strictObject({
        id: sectionId,
        title: z.string(),
        score: z.number().min(0).max(100).nullable().describe('null when nothing in the section was evaluated'),
        band,
        assessed: z.boolean(),
        counts: statusCounts,
      }),
    ),
    results: z.array(result),
    blockers: z.array(result).describe('Open (fail or unverified) results at or above gate.failOn'),
    expiredWaivers: z.array(waiver.extend({ expired: z.literal(true) })),
    // Added within schemaVersion 1: defaults keep earlier reports readable (e.g. as a --baseline or by `diff`).
    unusedWaivers: z.array(waiver).default([]).describe('Unexpired waivers that matched no open result: remove them'),
    notAssessed: z.array(sectionId),
    scope: z
      .strictObject({
        unused: z.array(z.strictObject({ service: z.string(), reason: z.string(), checks: z.array(z.string()) })).describe('Services declared unused under `unused:`'),
        off: z.array(z.strictObject({ check: z.string(), reason: z.string() })).describe('Checks turned off with `checks.<id>.off`'),
        notAssessed: z.array(z.strictObject({ reason: z.string(), checks: z.array(z.string()) })).describe('Checks not assessed inside an assessed section (a part of the config is absent)'),
      })
      .default({ unused: [], off: [], notAssessed: [] })
      .describe('What the run left out, and why'),
    exitReason: z
      .strictObject({
        code: z.union([z.literal(0), z.literal(1), z.literal(3)]),
        reason: z.enum(['ready', 'not-ready', 'could-not-see']),
        cause: z.string().optional().describe('For could-not-see: the failure most unverified results share'),
        fix: z.string().optional(),
      })
      .default({ code: 1, reason: 'not-ready' })
      .describe('The exit code and why (reports written before it read as not-ready): 3 means NOT READY only because the tool could not see (credentials, access, network, timeout)'),
    summary: statusCounts,
  })
  .meta({ title: 'readiness report', description: 'The JSON report of `readiness check --format json`.' });

// The TypeScript type and the schema must describe the same thing: assignable both ways, and the same keys at every level.
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Same<A, B> = [A] extends [readonly (infer X)[]]
  ? [B] extends [readonly (infer Y)[]]
    ? Same<X, Y>
    : false
  : [A] extends [object]
    ? [B] extends [object]
      ? SameObject<A, B>
      : false
    : Mutual<A, B>;
type SameObject<A, B> =
  Mutual<keyof A, keyof B> extends true
    ? false extends { [K in keyof A & keyof B]-?: Same<Exclude<A[K], undefined>, Exclude<B[K], undefined>> }[keyof A & keyof B]
      ? false
      : true
    : false;
type ParsedReport = z.output<typeof reportSchema>;
const reportMatchesSchema: Mutual<Report, ParsedReport> extends true ? Same<Report, ParsedReport> : false = true;
void reportMatchesSchema;
