import type { Config } from '../../src/config/schema.js';
import { shellQuote } from './shell.js';

/** The seed's phase-3 steps, shared by the domain checks' remediation. */
export const REQUEST_CERTIFICATE = 'aws acm request-certificate --domain-name {{apexName}} --subject-alternative-names {{wildcardName}} --validation-method DNS --region us-east-1';

/** REQUEST_CERTIFICATE's names, each one shell word. */
export function certificateNames(apex: string): { apexName: string; wildcardName: string } {
  return { apexName: shellQuote(apex), wildcardName: shellQuote(`*.${apex}`) };
}

export const CLOUDFRONT_TARGET = /\.cloudfront\.net\.?$/i;
/** A regional/edge API (`<id>.execute-api.<region>.amazonaws.com`) or a custom domain's `d-xxxx.execute-api...`. */
export const API_GATEWAY_TARGET = /\.execute-api\.[a-z0-9-]+\.amazonaws\.com\.?$/i;

/** DNS answers that mean "no such record" (as opposed to a resolver that could not be asked). */
export const NOT_RESOLVING = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN', 'ENONAME']);

export const apexOf = (config: Config): string => config.domain?.name ?? 'example.com';

/** Socket errors that say the name never resolved: the fix is DNS, not the server. */
export const isDnsError = (error: string | null): boolean => error !== null && /^(ENOTFOUND|EAI_AGAIN|ENODATA)$/.test(error);
