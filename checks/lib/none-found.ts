import type { UnusedService } from '../../src/config/services.js';

/**
 * The message and failure title of an account with none of a service's resources, naming the way to say the
 * stack does without it. Where the service holds the PHI (databases, buckets) absence fails, with a title that
 * says what was seen; where absence means the risk cannot arise there (no CDN to serve HTTP, no user pool to
 * skip MFA, no identity pool to admit guests) the check is not applicable and the message says why.
 */
export function noneFound(what: string, service: UnusedService): { message: string; title: string } {
  return {
    message: `No ${what} found in the selected regions; if the stack does not use ${service}, declare it under \`unused:\` (\`- { service: ${service}, reason: … }\`)`,
    title: `No ${what} found`,
  };
}
