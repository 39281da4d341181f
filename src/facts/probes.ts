import { z } from '../zod.js';
import { defineFact } from '../model.js';

/** Where a probe actually went: the host's own name, or a `domain.resolve` override (kept for SNI and Host). */
const target = () => z.object({ host: z.string(), address: z.string(), port: z.number(), overridden: z.boolean() });

export const dnsRecords = defineFact({
  id: 'domain.dns',
  description: 'DNS answers (A/AAAA/CNAME chain) for the apex domain and each configured host',
  permissions: [],
  schema: () => z.object({
    apex: z.string(),
    records: z.array(
      z.object({
        host: z.string(),
        /** `apex`, or the key under `domain.hosts` (app, api, cdn, ...). */
        role: z.string(),
        resolved: z.boolean(),
        cnames: z.array(z.string()),
        addresses: z.array(z.string()),
        /** PTR names of the first address: a Route 53 alias to CloudFront shows no CNAME, only this. */
        reverse: z.array(z.string()),
        /** DNS error code (ENOTFOUND, ENODATA, ETIMEOUT, ...) when it did not resolve. */
        error: z.string().nullable(),
      }),
    ),
  }),
});

export const tlsEndpoints = defineFact({
  id: 'domain.tls',
  description: 'TLS handshake per host: certificate chain, names, expiry, negotiated and legacy protocols',
  permissions: [],
  schema: () => z.array(
    z.object({
      host: z.string(),
      target: target(),
      connected: z.boolean(),
      /** Why no handshake happened (ENOTFOUND, ECONNREFUSED, timeout, ...). */
      error: z.string().nullable(),
      /** Chain valid for the name against the trust store. */
      authorized: z.boolean(),
      authorizationError: z.string().nullable(),
      subject: z.string().nullable(),
      issuer: z.string().nullable(),
      subjectAltNames: z.array(z.string()),
      notAfter: z.string().nullable(),
      protocol: z.string().nullable(),
      /** A handshake capped at TLS 1.1: accepted, refused by the server, or not determinable (with why). */
      legacy: z.object({ outcome: z.enum(['accepted', 'refused', 'unknown']), detail: z.string().nullable() }),
    }),
  ),
});

const headerValue = () => z.string().nullable();

export const httpEndpoints = defineFact({
  id: 'domain.http',
  description: 'HTTPS answer (HSTS) and plain-HTTP answer (redirect) of each host',
  permissions: [],
  schema: () => z.array(
    z.object({
      host: z.string(),
      https: z.object({
        target: target(),
        connected: z.boolean(),
        error: z.string().nullable(),
        status: z.number().nullable(),
        /** Every Strict-Transport-Security line of the answer, joined with ", " (Node's way). */
        hsts: headerValue(),
        /** Those lines one by one (a browser uses only the first); absent in snapshots taken before they were kept apart. */
        hstsLines: z.array(z.string()).optional(),
      }),
      http: z.object({ target: target(), connected: z.boolean(), error: z.string().nullable(), status: z.number().nullable(), location: headerValue() }),
    }),
  ),
});

export const corsPreflights = defineFact({
  id: 'domain.cors',
  description: 'CORS preflight (OPTIONS) answers of the API host for each production origin, for an origin no one would allow, and for the origin `null`',
  permissions: [],
  schema: () => z.object({
    url: z.string().nullable(),
    preflights: z.array(z.object({ ...preflightAnswer(), allowMethods: headerValue() })),
    /** The same preflight from FOREIGN_CORS_ORIGIN; absent in snapshots taken before it was probed. */
    foreign: otherOriginPreflight().optional(),
    /** The same preflight from NULL_CORS_ORIGIN; absent in snapshots taken before it was probed. */
    nullOrigin: otherOriginPreflight().optional(),
  }),
});

/** What every preflight records: the origin sent, whether the host answered, and the origin it allowed. */
const preflightAnswer = () => ({
  origin: z.string(),
  connected: z.boolean(),
  error: z.string().nullable(),
  status: z.number().nullable(),
  allowOrigin: headerValue(),
});

const otherOriginPreflight = () => z.object({ ...preflightAnswer(), allowCredentials: headerValue() });

/**
 * An origin no API should allow: an answer that lets it in lets any website in. `.invalid` is
 * reserved (RFC 2606, RFC 6761): it can never be registered, so it is never someone's real site.
 */
export const FOREIGN_CORS_ORIGIN = 'https://readiness-cors-probe.invalid';

/** The Origin a browser sends from a sandboxed iframe, a data: or file: page, on any site: allowing it allows them all. */
export const NULL_CORS_ORIGIN = 'null';

export const healthProbes = defineFact({
  id: 'probes.health',
  description: 'Answer of each configured `probes:` URL within its timeout',
  permissions: [],
  schema: () => z.array(
    z.object({
      id: z.string(),
      url: z.string(),
      target: target(),
      expectStatus: z.number(),
      timeoutMs: z.number(),
      outcome: z.enum(['answered', 'timeout', 'unreachable']),
      status: z.number().nullable(),
      durationMs: z.number(),
      error: z.string().nullable(),
      /** The configured `expectBody` (null: none). Absent in snapshots from before bodies were read. */
      expectBody: z.string().nullable().optional(),
      /** Whether the answer's first 64 KiB contain expectBody (null: no expectBody, or no answer). */
      bodyMatched: z.boolean().nullable().optional(),
      contentType: z.string().nullable().optional(),
      /** The answer is an HTML document (`<!doctype html` or `<html`): what a single-page app's fallback serves for every path. */
      htmlDocument: z.boolean().nullable().optional(),
    }),
  ),
});
