import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { attestations } from '../../facts/config.js';
import type { FactValue } from '../../model.js';
import { defineCollector } from '../types.js';
import { withoutUrlCredentials } from '../url-credentials.js';

/** Reads attestations from config and hashes each local evidence file, so an auditor can match it. */
export const attestationsCollector = defineCollector(attestations, async (context) => {
  const out: FactValue<typeof attestations> = {};
  for (const [name, attestation] of Object.entries(context.config.attestations)) {
    const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(attestation.evidence);
    let evidenceSha256: string | null = null;
    let evidenceFound = isUrl;
    if (!isUrl) {
      const path = isAbsolute(attestation.evidence) ? attestation.evidence : resolve(context.baseDir, attestation.evidence);
      try {
        evidenceSha256 = createHash('sha256').update(await readFile(path)).digest('hex');
        evidenceFound = true;
      } catch {
        evidenceFound = false;
      }
    }
    out[name] = {
      date: (attestation.signed ?? attestation.date)!,
      by: attestation.by,
      evidence: isUrl ? withoutUrlCredentials(attestation.evidence) : attestation.evidence,
      expires: attestation.expires ?? null,
      evidenceSha256,
      evidenceFound,
    };
  }
  return out;
});
