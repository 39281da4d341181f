import type { FactValue, Finding } from '../../src/model.js';
import type { attestations } from '../../src/facts/config.js';

type Attestations = FactValue<typeof attestations>;

const DAY_MS = 86_400_000;

/**
 * The shared rule for attested evidence: present, evidence file found, not expired, and
 * (when `maxAgeDays` is given) dated within that many days of `now`.
 * Codes: attested · attestation-missing · evidence-missing · attestation-expired · attestation-stale.
 */
export function evaluateAttestation(all: Attestations, key: string, now: Date, maxAgeDays?: number): Finding {
  const attestation = all[key];
  if (!attestation) return { resource: key, status: 'fail', code: 'attestation-missing', args: { key } };
  const evidence = {
    date: attestation.date,
    by: attestation.by,
    evidence: attestation.evidence,
    ...(attestation.expires ? { expires: attestation.expires } : {}),
    ...(attestation.evidenceSha256 ? { sha256: attestation.evidenceSha256 } : {}),
  };
  const args = { key, date: attestation.date, by: attestation.by, evidence: attestation.evidence };
  if (!attestation.evidenceFound) return { resource: key, status: 'fail', code: 'evidence-missing', args, evidence };
  const today = now.toISOString().slice(0, 10);
  if (attestation.expires && attestation.expires < today) {
    return { resource: key, status: 'fail', code: 'attestation-expired', args: { ...args, expires: attestation.expires }, evidence };
  }
  if (attestation.date > today) return { resource: key, status: 'fail', code: 'attestation-future', args, evidence };
  if (maxAgeDays !== undefined) {
    const ageDays = Math.floor((now.getTime() - Date.parse(`${attestation.date}T00:00:00Z`)) / DAY_MS);
    if (ageDays > maxAgeDays) return { resource: key, status: 'fail', code: 'attestation-stale', args: { ...args, ageDays, maxAgeDays }, evidence: { ...evidence, ageDays } };
  }
  return { resource: key, status: 'pass', code: 'attested', args, evidence };
}

/** Message templates for the codes above, to spread into a check's `messages`. */
export const ATTESTATION_MESSAGES = {
  attested: '{{key}} attested on {{date}} by {{by}} (evidence: {{evidence}})',
  'attestation-missing': 'No `{{key}}` attestation in the config',
  'evidence-missing': 'The evidence of `{{key}}` ({{evidence}}) was not found',
  'attestation-expired': '`{{key}}` expired on {{expires}}',
  'attestation-future': '`{{key}}` is dated {{date}}, in the future',
  'attestation-stale': '`{{key}}` is {{ageDays}} days old (at most {{maxAgeDays}})',
} as const;
