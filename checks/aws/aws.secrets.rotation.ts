import { z } from '../../src/zod.js';
import { defineCheck, type FactValue, type Finding } from '../../src/model.js';
import { secretsManagerSecrets } from '../../src/facts/aws-account.js';

type Secret = FactValue<typeof secretsManagerSecrets>[number];

const DB_WORD = /(^|[^a-z0-9])(db|database|rds|aurora|postgres|postgresql|pg|mysql|mariadb|sqlserver|oracle|redshift|dbcredentials)([^a-z0-9]|$)/i;
const RDS_TAG = /^aws:rds:/;
const DAY_MS = 86_400_000;

/** Splits camelCase so `DatabaseSecret3B8` reads as words, as CloudFormation logical ids are written. */
const words = (text: string) => text.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Za-z])(\d)/g, '$1 $2');

/** Why a secret is taken for database credentials (from metadata only: its value is never read), or null. */
export function databaseCredentialReason(secret: Secret): string | null {
  if (secret.owningService === 'rds' || secret.name.startsWith('rds!')) return 'managed by RDS';
  const tagKey = Object.keys(secret.tags).find((key) => RDS_TAG.test(key));
  if (tagKey) return `tag ${tagKey}`;
  if (DB_WORD.test(words(secret.name))) return `name "${secret.name}"`;
  if (secret.description && DB_WORD.test(words(secret.description))) return `description "${secret.description}"`;
  const tag = Object.entries(secret.tags).find(([key, value]) => DB_WORD.test(words(key)) || DB_WORD.test(words(value)));
  return tag ? `tag ${tag[0]}=${tag[1]}` : null;
}

/**
 * Days the secret has gone without rotating (since it last did, or since it was created when it never has), when
 * that is more than twice its schedule: the rotation function fails, whatever the switch says. Else null.
 * AWS sets AutomaticallyAfterDays only after a rotation succeeds, and a ScheduleExpression can leave it unset: without
 * it, more than `maxRotationDays` is stale, so a rotation that never once succeeded cannot pass.
 */
function staleFor(secret: Secret, now: Date, maxRotationDays: number): { ageDays: number; lastRotation: string; limitDays: number } | null {
  const since = secret.lastRotated ?? secret.created ?? null;
  if (!secret.rotationEnabled || since === null) return null;
  const ageDays = Math.floor((now.getTime() - Date.parse(since)) / DAY_MS);
  const limitDays = secret.rotationDays === null ? maxRotationDays : 2 * secret.rotationDays;
  if (!(ageDays > limitDays)) return null;
  return { ageDays, limitDays, lastRotation: secret.lastRotated ? `last rotated ${ageDays} days ago` : `has never rotated in the ${ageDays} days since it was created` };
}

export default defineCheck({
  meta: {
    id: 'aws.secrets.rotation',
    title: 'Secrets rotate automatically',
    failureTitle: 'A secret does not rotate',
    description:
      'A password or API key that never changes stays valid in every leaked copy. Secrets that hold database credentials (judged from name, description and tags; values are never read) must have automatic rotation on, at least every `maxRotationDays` (90 by default); other secrets (a PHI vendor’s API key) too, unless listed in `aws.secrets.allowNonRotating`. A rotation that has not happened for twice its schedule (or, with no day count from AWS, for `maxRotationDays`) is failing, whatever the switch says.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.308(a)(5)(ii)(D)'],
    phase: 1,
    options: () => z.object({
      maxRotationDays: z.number().int().positive().default(90).describe('Longest rotation schedule accepted, in days; also how long a rotation with no day count from AWS may go unrotated.'),
    }),
    remediation: {
      text: 'Turn on automatic rotation with the RDS rotation function (or let RDS manage the master password)',
      command: 'aws secretsmanager rotate-secret --secret-id {{resource}} --rotation-lambda-arn <rotation-function-arn> --rotation-rules AutomaticallyAfterDays=30 --region {{region}}',
      effortMinutes: 60,
    },
    messages: {
      rotating: 'Secret {{name}} ({{reason}}) rotates every {{days}} days',
      'not-rotating': 'Secret {{name}} holds database credentials ({{reason}}) and does NOT rotate',
      'rotation-stale': 'Secret {{name}} ({{reason}}) should rotate every {{days}} days but {{lastRotation}}: rotation is failing',
      'rotation-too-slow': 'Secret {{name}} ({{reason}}) rotates only every {{days}} days (longest accepted: {{maxRotationDays}})',
      'other-rotation-too-slow': 'Secret {{name}} rotates only every {{days}} days (longest accepted: {{maxRotationDays}})',
      'other-rotating': 'Secret {{name}} rotates every {{days}} days',
      'other-rotation-stale': 'Secret {{name}} should rotate every {{days}} days but {{lastRotation}}: rotation is failing',
      'other-not-rotating': 'Secret {{name}} does NOT rotate: a long-lived key stays valid in every leaked copy (list it in aws.secrets.allowNonRotating if it cannot rotate)',
      'allowed-static': 'Secret {{name}} is allowed not to rotate (aws.secrets.allowNonRotating)',
      'rotation-unconfirmed':
        'Secret {{name}} has rotation switched on, but the answer gave neither a last rotation nor a creation date: whether rotation ever ran cannot be told (check LastRotatedDate with `aws secretsmanager describe-secret`, then collect again)',
      'no-secrets': 'No Secrets Manager secret in the selected regions',
    },
  },
  facts: { secrets: secretsManagerSecrets },
  evaluate({ secrets }, { now, config, options }) {
    const allowed = new Set(config.aws?.secrets.allowNonRotating ?? []);
    if (secrets.length === 0) return [{ resource: 'secretsmanager', status: 'not_applicable', code: 'no-secrets' }];
    return secrets.map((secret): Finding => {
      const reason = databaseCredentialReason(secret);
      const args = { name: secret.name, region: secret.region, maxRotationDays: options.maxRotationDays };
      const stale = staleFor(secret, now, options.maxRotationDays);
      const days = secret.rotationDays ?? (stale ? options.maxRotationDays : 'n/a');
      const tooSlow = secret.rotationEnabled && secret.rotationDays !== null && secret.rotationDays > options.maxRotationDays;
      // The switch alone is no evidence: a rotation function that always fails leaves it on.
      if (secret.rotationEnabled && secret.lastRotated === null && (secret.created ?? null) === null) {
        return { resource: secret.arn, status: 'unverified', code: 'rotation-unconfirmed', args, evidence: { name: secret.name, rotationEnabled: true, rotationDays: secret.rotationDays, lastRotated: null, created: null } };
      }
      if (!reason) {
        const evidence = { name: secret.name, rotationEnabled: secret.rotationEnabled, rotationDays: secret.rotationDays, lastRotated: secret.lastRotated, created: secret.created ?? null };
        if (stale) return { resource: secret.arn, status: 'fail', code: 'other-rotation-stale', args: { ...args, days, ...stale }, evidence: { ...evidence, ageDays: stale.ageDays, limitDays: stale.limitDays } };
        if (tooSlow) return { resource: secret.arn, status: 'fail', code: 'other-rotation-too-slow', args: { ...args, days }, evidence };
        if (secret.rotationEnabled) return { resource: secret.arn, status: 'pass', code: 'other-rotating', args: { ...args, days }, evidence };
        if (allowed.has(secret.name) || allowed.has(secret.arn)) return { resource: secret.arn, status: 'not_applicable', code: 'allowed-static', args, evidence };
        return { resource: secret.arn, status: 'fail', code: 'other-not-rotating', args, evidence };
      }
      const evidence = { name: secret.name, classifiedBy: reason, rotationEnabled: secret.rotationEnabled, rotationDays: secret.rotationDays, lastRotated: secret.lastRotated, created: secret.created ?? null };
      if (!secret.rotationEnabled) return { resource: secret.arn, status: 'fail', code: 'not-rotating', args: { ...args, reason }, evidence };
      if (stale) return { resource: secret.arn, status: 'fail', code: 'rotation-stale', args: { ...args, reason, days, ...stale }, evidence: { ...evidence, ageDays: stale.ageDays, limitDays: stale.limitDays } };
      if (tooSlow) return { resource: secret.arn, status: 'fail', code: 'rotation-too-slow', args: { ...args, reason, days }, evidence };
      return { resource: secret.arn, status: 'pass', code: 'rotating', args: { ...args, reason, days }, evidence };
    });
  },
});
