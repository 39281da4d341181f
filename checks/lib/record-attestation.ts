/** A command that records an attestation in readiness.config.yaml (mikefarah yq v4), dated today. */
export function recordAttestationCommand(key: string, evidence: string): string {
  return `DATE=$(date +%F) yq -i '.attestations["${key}"] = {"date": strenv(DATE), "by": "<name>", "evidence": "${evidence}"}' readiness.config.yaml`;
}
