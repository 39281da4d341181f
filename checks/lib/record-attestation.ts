import { shellQuote } from './shell.js';

/** A command that records an attestation in readiness.config.yaml (mikefarah yq v4), dated today. */
export function recordAttestationCommand(key: string, evidence: string): string {
  return RECORD_ATTESTATION.replace('{{yqExpression}}', attestationExpression(key, evidence));
}

/** The same command as a template, for a key known per finding: fill `yqExpression` with `attestationExpression`. */
export const RECORD_ATTESTATION = 'DATE=$(date +%F) yq -i {{yqExpression}} readiness.config.yaml';

/** The yq expression, one shell word: the key and the path are data (a quote in them ends nothing). */
export function attestationExpression(key: string, evidence: string): string {
  return shellQuote(`.attestations[${JSON.stringify(key)}] = {"date": strenv(DATE), "by": "<name>", "evidence": ${JSON.stringify(evidence)}}`);
}
