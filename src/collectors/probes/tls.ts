import { connect, type ConnectionOptions, type PeerCertificate, type TLSSocket } from 'node:tls';
import { tlsEndpoints } from '../../facts/probes.js';
import type { FactValue } from '../../model.js';
import { defineCollector, FactError } from '../types.js';
import { boundedSignal, DOMAIN_PROBE_TIMEOUT_MS, domainHosts, errorReason, probeTarget, type ProbeTarget } from './target.js';

type TlsEndpoint = FactValue<typeof tlsEndpoints>[number];

export interface TlsCollectorOptions {
  /** Trust anchors to use instead of Node's default store (which already honours NODE_EXTRA_CA_CERTS). */
  ca?: string[];
  timeoutMs?: number;
}

/** Legacy-handshake failures that say nothing about the server: it was not reached, or this client could not offer TLS 1.0/1.1. */
const CANNOT_TELL = new Set(['ETIMEDOUT', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_SSL_NO_PROTOCOLS_AVAILABLE', 'ERR_SSL_NO_CIPHERS_AVAILABLE']);

type Handshake = { ok: true; socket: TLSSocket } | { ok: false; error: string; alert: boolean };

/** One handshake; resolves with the open socket (caller ends it) or the reason it failed. */
function handshake(target: ProbeTarget, extra: ConnectionOptions, signal: AbortSignal): Promise<Handshake> {
  return new Promise((resolve) => {
    const socket = connect({ host: target.address, port: target.port, servername: target.host, rejectUnauthorized: false, ...extra });
    const finish = (result: Handshake) => {
      signal.removeEventListener('abort', onAbort);
      if (!result.ok) socket.destroy();
      resolve(result);
    };
    const onAbort = () => finish({ ok: false, error: 'ETIMEDOUT', alert: false });
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => finish({ ok: true, socket }));
    socket.once('error', (error) => {
      const code = errorReason(error);
      // An alert from the server (protocol version, handshake failure) means it refused what we offered.
      const alert = /ALERT|WRONG_VERSION_NUMBER|UNSUPPORTED_PROTOCOL|VERSION_TOO_LOW/i.test(`${code} ${(error as Error).message}`);
      finish({ ok: false, error: code, alert });
    });
  });
}

function name(entity: PeerCertificate['subject'] | undefined): string | null {
  if (!entity) return null;
  const value = entity.CN ?? entity.O;
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

function sans(certificate: PeerCertificate): string[] {
  return (certificate.subjectaltname ?? '').split(', ').filter(Boolean).map((entry) => entry.replace(/^DNS:/, ''));
}

function isoDate(value: string | undefined): string | null {
  const ms = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export function createTlsCollector(options: TlsCollectorOptions = {}) {
  const timeoutMs = options.timeoutMs ?? DOMAIN_PROBE_TIMEOUT_MS;
  const ca = options.ca ? { ca: options.ca } : {};
  return defineCollector(tlsEndpoints, async (context) => {
    if (!context.config.domain) throw new FactError('NotConfigured', 'no `domain` section in the config', 'add `domain: { name, hosts }` to readiness.config.yaml');
    return Promise.all(
      domainHosts(context.config).map(async ({ host }): Promise<TlsEndpoint> => {
        const target = probeTarget(context.config, host, 443);
        const base = { host, target, authorized: false, authorizationError: null, subject: null, issuer: null, subjectAltNames: [], notAfter: null, protocol: null };
        const first = await handshake(target, { ...ca, minVersion: 'TLSv1.2' }, boundedSignal(context.signal, timeoutMs));
        if (!first.ok) {
          // A server that refuses 1.2+ still answered: report it connected, without a certificate.
          return { ...base, connected: first.alert, error: first.error, legacy: { outcome: 'unknown', detail: 'no TLS 1.2+ handshake' } };
        }
        const socket = first.socket;
        const certificate = socket.getPeerCertificate();
        const endpoint: TlsEndpoint = {
          ...base,
          connected: true,
          error: null,
          authorized: socket.authorized,
          authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
          subject: name(certificate.subject),
          issuer: name(certificate.issuer),
          subjectAltNames: sans(certificate),
          notAfter: isoDate(certificate.valid_to),
          protocol: socket.getProtocol(),
          legacy: { outcome: 'unknown', detail: null },
        };
        socket.end();
        // At its default security level OpenSSL 3 will not even offer TLS 1.0/1.1 (ERR_SSL_NO_PROTOCOLS_AVAILABLE,
        // before any byte is sent): SECLEVEL=0 makes the offer, so the server's answer is what we record.
        const legacy = await handshake(target, { ...ca, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }, boundedSignal(context.signal, timeoutMs));
        if (legacy.ok) {
          endpoint.legacy = { outcome: 'accepted', detail: legacy.socket.getProtocol() };
          legacy.socket.end();
        } else {
          endpoint.legacy = { outcome: CANNOT_TELL.has(legacy.error) ? 'unknown' : 'refused', detail: legacy.error };
        }
        return endpoint;
      }),
    );
  });
}

export const tlsEndpointsCollector = createTlsCollector();
