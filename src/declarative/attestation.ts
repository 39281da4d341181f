import { ATTESTATION_MESSAGES, evaluateAttestation } from '../../checks/lib/attestation.js';
import { attestations } from '../facts/config.js';
import { defineCheck, type AnyCheck } from '../model.js';
import { metaOf } from './meta.js';
import type { CustomCheck } from './schema.js';

/** The built-in attestation rule (present, evidence found, not expired, not in the future) with the entry's maximum age. */
export function compileAttestation(entry: CustomCheck): AnyCheck {
  const { name, maxAgeDays } = entry.attestation!;
  return defineCheck({
    meta: {
      ...metaOf(entry, `The attestation \`${name}\` must be recorded with its evidence and dated within ${maxAgeDays} days.`, ATTESTATION_MESSAGES),
      attestations: [name],
    },
    facts: { attestations },
    evaluate({ attestations: all }, { now }) {
      return [evaluateAttestation(all, name, now, maxAgeDays)];
    },
  });
}
