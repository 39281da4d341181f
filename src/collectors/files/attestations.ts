import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { attestations } from '../../facts/config.js';
import type { FactValue } from '../../model.js';
import { defineCollector } from '../types.js';
import { withoutTextCredentials, withoutUrlCredentials } from '../url-credentials.js';

const FETCH_TIMEOUT_MS = 10_000;

type EvidenceRead = Omit<FactValue<typeof attestations>[string], 'date' | 'by' | 'evidence' | 'expires' | 'pinnedSha256'>;

/**
 * Reads attestations from config, hashes each local evidence file and fetches each evidence URL
 * (keeping only its status, size, sha256, final host and media type), so an auditor can match it.
 */
export const attestationsCollector = defineCollector(attestations, async (context) => {
  const out: FactValue<typeof attestations> = {};
  const entries = Object.entries(context.config.attestations);
  const reads = await Promise.all(
    entries.map(([, attestation]) => {
      if (isUrl(attestation.evidence)) return fetchEvidence(attestation.evidence, context.signal);
      return readEvidence(isAbsolute(attestation.evidence) ? attestation.evidence : resolve(context.baseDir, attestation.evidence));
    }),
  );
  entries.forEach(([name, attestation], i) => {
    out[name] = {
      date: (attestation.signed ?? attestation.date)!,
      by: attestation.by,
      evidence: isUrl(attestation.evidence) ? withoutUrlCredentials(attestation.evidence) : attestation.evidence,
      expires: attestation.expires ?? null,
      pinnedSha256: attestation.sha256?.toLowerCase() ?? null,
      ...reads[i]!,
    };
  });
  return out;
});

function isUrl(evidence: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(evidence);
}

async function readEvidence(path: string): Promise<EvidenceRead> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    return { evidenceSha256: null, evidenceFound: false };
  }
  return { evidenceSha256: createHash('sha256').update(bytes).digest('hex'), evidenceFound: true, evidenceBytes: bytes.length, evidenceEmpty: isBlank(bytes) };
}

/** GET without credentials; the body is hashed as it streams in and not kept. */
async function fetchEvidence(link: string, signal: AbortSignal): Promise<EvidenceRead> {
  try {
    const url = new URL(link);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { evidenceSha256: null, evidenceFound: false, evidenceError: 'only http(s) evidence can be fetched' };
    url.username = '';
    url.password = '';
    const response = await fetch(url, { redirect: 'follow', credentials: 'omit', signal: AbortSignal.any([signal, AbortSignal.timeout(FETCH_TIMEOUT_MS)]) });
    // Where the redirects ended: a private document answers with a sign-in page on another host.
    const contentType = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    const landed = { ...(response.url ? { evidenceFinalHost: new URL(response.url).host } : {}), ...(contentType ? { evidenceContentType: contentType } : {}) };
    if (!response.ok) {
      await response.body?.cancel();
      return { evidenceSha256: null, evidenceFound: false, evidenceStatus: response.status, ...landed };
    }
    const hash = createHash('sha256');
    let bytes = 0;
    let blank = true;
    for await (const chunk of response.body ?? []) {
      hash.update(chunk);
      bytes += chunk.length;
      blank &&= isBlank(chunk);
    }
    return { evidenceSha256: hash.digest('hex'), evidenceFound: true, evidenceStatus: response.status, evidenceBytes: bytes, evidenceEmpty: blank, ...landed };
  } catch (error) {
    return { evidenceSha256: null, evidenceFound: false, evidenceError: withoutTextCredentials(fetchErrorMessage(error)) };
  }
}

/** Undici says only "fetch failed"; the cause (ECONNREFUSED, ENOTFOUND, a TLS error) is the reason. */
function fetchErrorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : null;
  return cause ? `${error.message}: ${cause}` : error.message;
}

/** Empty, or nothing but ASCII whitespace: a placeholder, not evidence. */
function isBlank(bytes: Uint8Array): boolean {
  return bytes.every((byte) => byte === 0x20 || (byte >= 0x09 && byte <= 0x0d));
}
