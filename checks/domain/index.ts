import type { AnyCheck } from '../../src/model.js';
import dnsRecords from './domain.dns.records.js';
import tlsCertificate from './domain.tls.certificate.js';
import tlsProtocol from './domain.tls.protocol.js';
import httpSecurityHeaders from './domain.http.security-headers.js';
import corsProductionOrigin from './domain.cors.production-origin.js';
import probesHealth from './domain.probes.health.js';

export const domainChecks: AnyCheck[] = [dnsRecords, tlsCertificate, tlsProtocol, httpSecurityHeaders, corsProductionOrigin, probesHealth];
