import type { FactValue, Finding } from '../../src/model.js';
import type { attestations } from '../../src/facts/config.js';

type Attestations = FactValue<typeof attestations>;

const DAY_MS = 86_400_000;
/** sha256 of zero bytes: how a snapshot from before `evidenceEmpty` still shows an empty file. */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * The shared rule for attested evidence: present, evidence file (or URL) found and not empty, not
 * expired, and (when `maxAgeDays` is given) dated within that many days of `now`.
 * Codes: attested · attestation-missing · evidence-missing · evidence-empty · evidence-changed · evidence-web-page ·
 * evidence-unreachable · attestation-expired · attestation-stale.
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
    ...(attestation.evidenceBytes !== undefined ? { bytes: attestation.evidenceBytes } : {}),
    ...(attestation.evidenceStatus !== undefined ? { httpStatus: attestation.evidenceStatus } : {}),
    ...(attestation.evidenceFinalHost !== undefined ? { finalHost: attestation.evidenceFinalHost } : {}),
    ...(attestation.evidenceContentType !== undefined ? { contentType: attestation.evidenceContentType } : {}),
  };
  const args = { key, date: attestation.date, by: attestation.by, evidence: attestation.evidence };
  // A link that could not be checked is not missing: it is decided last, after the dates.
  const reason = unreachableReason(attestation);
  if (!attestation.evidenceFound && !reason) return { resource: key, status: 'fail', code: 'evidence-missing', args, evidence };
  if (attestation.evidenceEmpty || attestation.evidenceSha256 === EMPTY_SHA256) return { resource: key, status: 'fail', code: 'evidence-empty', args, evidence };
  const pinned = attestation.pinnedSha256;
  if (pinned && attestation.evidenceSha256 && attestation.evidenceSha256 !== pinned) {
    return { resource: key, status: 'fail', code: 'evidence-changed', args: { ...args, pinned, sha256: attestation.evidenceSha256 }, evidence: { ...evidence, pinnedSha256: pinned } };
  }
  const today = now.toISOString().slice(0, 10);
  if (attestation.expires && attestation.expires < today) {
    return { resource: key, status: 'fail', code: 'attestation-expired', args: { ...args, expires: attestation.expires }, evidence };
  }
  if (attestation.date > today) return { resource: key, status: 'fail', code: 'attestation-future', args, evidence };
  if (maxAgeDays !== undefined) {
    const ageDays = Math.floor((now.getTime() - Date.parse(`${attestation.date}T00:00:00Z`)) / DAY_MS);
    if (ageDays > maxAgeDays) return { resource: key, status: 'fail', code: 'attestation-stale', args: { ...args, ageDays, maxAgeDays }, evidence: { ...evidence, ageDays } };
  }
  if (reason) return { resource: key, status: 'unverified', code: 'evidence-unreachable', args: { ...args, reason }, evidence: { ...evidence, reason } };
  // A landing page or a wiki page answers 200 just as a signed document does: only a reviewed hash tells them apart.
  if (!pinned && isWebPage(attestation)) {
    return { resource: key, status: 'unverified', code: 'evidence-web-page', args: { ...args, sha256: attestation.evidenceSha256 ?? 'unknown' }, evidence };
  }
  return { resource: key, status: 'pass', code: 'attested', args, evidence };
}

/**
 * Why an evidence URL shows neither that the document is there nor that it is gone: a login wall
 * (a status, or a redirect to another host such as a private Google Doc's sign-in page), an outage,
 * a network error, or a snapshot taken before URLs were fetched. Null for a file, for 2xx on the
 * link's own host, and for 404/410 (gone, like a missing file).
 */
function unreachableReason(attestation: Attestations[string]): string | null {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(attestation.evidence)) return null;
  if (attestation.evidenceError) return attestation.evidenceError;
  const status = attestation.evidenceStatus;
  if (status === undefined) return 'the evidence URL was not fetched (snapshot from before)';
  if (status === 404 || status === 410) return null;
  const finalHost = attestation.evidenceFinalHost;
  if (finalHost !== undefined && finalHost !== hostOf(attestation.evidence)) return `redirected to ${finalHost} (a sign-in page?)`;
  if (status >= 200 && status < 300) return finalHost === undefined ? 'where the evidence URL redirected to was not recorded (snapshot from before)' : null;
  return `the server answered HTTP ${status}`;
}

/** An evidence URL that answered a web page. (A snapshot from before media types were kept has no final host either: unreachableReason covers it.) */
function isWebPage(attestation: Attestations[string]): boolean {
  const type = attestation.evidenceContentType;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(attestation.evidence) && (type === 'text/html' || type === 'application/xhtml+xml');
}

function hostOf(link: string): string | null {
  try {
    return new URL(link).host;
  } catch {
    return null;
  }
}

/** Message templates for the codes above, to spread into a check's `messages`. */
export const ATTESTATION_MESSAGES = {
  attested: '{{key}} attested on {{date}} by {{by}} (evidence: {{evidence}})',
  'attestation-missing': 'No `{{key}}` attestation in the config',
  'evidence-missing': 'The evidence of `{{key}}` ({{evidence}}) was not found',
  'evidence-empty': 'The evidence of `{{key}}` ({{evidence}}) is empty',
  'evidence-unreachable': 'The evidence of `{{key}}` ({{evidence}}) could not be checked: {{reason}}',
  'evidence-changed': 'The evidence of `{{key}}` ({{evidence}}) is not what was reviewed: its sha256 is {{sha256}}, the config pins {{pinned}}',
  'evidence-web-page':
    'The evidence of `{{key}}` ({{evidence}}) is a web page, which answers the same whether it is the signed document or a landing page: link the document itself (a PDF), or pin the page as reviewed with `sha256: {{sha256}}`',
  'attestation-expired': '`{{key}}` expired on {{expires}}',
  'attestation-future': '`{{key}}` is dated {{date}}, in the future',
  'attestation-stale': '`{{key}}` is {{ageDays}} days old (at most {{maxAgeDays}})',
} as const;
