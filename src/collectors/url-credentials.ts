/** Query parameters that carry a credential (pre-signed S3/Azure/GCS links, share tokens). */
const CREDENTIAL_PARAM = /sig|signature|token|key|credential|password|secret|auth|code/i;

/** A link (attestation evidence, probe URL) as it may be shown in a report: no user:password@, no signature or token in the query. */
export function withoutUrlCredentials(link: string): string {
  try {
    const url = new URL(link);
    url.username = '';
    url.password = '';
    for (const name of [...url.searchParams.keys()]) if (CREDENTIAL_PARAM.test(name)) url.searchParams.set(name, 'redacted');
    return url.toString();
  } catch {
    return link.replace(/\/\/[^/@\s]*@/, '//');
  }
}
