import { describe, expect, it } from 'vitest';
import securityHeaders from '../../../checks/domain/domain.http.security-headers.js';
import { renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

// Values as the HTTP collector stores them: Node joins repeated header lines with ", ", and keeps an
// absolute Location normalised by WHATWG URL (a relative one stays relative).
const domain = { name: 'example.test', hosts: { app: 'app.example.test', api: 'api.example.test' }, productionOrigins: ['https://app.example.test'] };
const target = (host: string, port: number) => ({ host, address: host, port, overridden: false });
const http = (hsts: string | null, plain: Record<string, unknown> = {}) => ({
  host: 'app.example.test',
  https: { target: target('app.example.test', 443), connected: true, error: null, status: 200, hsts },
  http: { target: target('app.example.test', 80), connected: true, error: null, status: 301, location: 'https://app.example.test/', ...plain },
});
const verdict = (hsts: string | null, plain: Record<string, unknown> = {}): CheckCase['expected'] => runCase(securityHeaders, { name: '', facts: { http: [http(hsts, plain)] }, config: { domain }, expected: [] });
const YEAR = 'max-age=31536000; includeSubDomains';

describe('domain.http.security-headers: Strict-Transport-Security as a browser parses it (RFC 6797 §6.1)', () => {
  it.each([
    ['a directive whose name only ends in max-age, then max-age=0', 'x-max-age=31536000; max-age=0', 'fail', 'hsts-too-short'],
    ['only a directive whose name ends in max-age', 'x-max-age=31536000; includeSubDomains', 'fail', 'hsts-malformed'],
    ['max-age given twice (the header is ignored)', 'max-age=31536000; max-age=31536000', 'fail', 'hsts-malformed'],
    ['max-age given twice, in other cases', 'max-age=31536000; includeSubDomains; MAX-AGE=63072000', 'fail', 'hsts-malformed'],
    ['a max-age value that is not delta-seconds', 'max-age=31536000abc', 'fail', 'hsts-malformed'],
    ['a quoted max-age value that is not delta-seconds', 'max-age="31536000"abc; includeSubDomains', 'fail', 'hsts-malformed'],
    ['includeSubDomains given twice', 'max-age=31536000; includeSubDomains; includesubdomains', 'fail', 'hsts-malformed'],
    ['includeSubDomains with a value', 'max-age=31536000; includeSubDomains=true', 'fail', 'hsts-malformed'],
    ['an empty max-age', 'max-age=; includeSubDomains', 'fail', 'hsts-malformed'],
    ['max-age=0 (the browser forgets the host)', 'max-age=0; includeSubDomains', 'fail', 'hsts-too-short'],
  ])('%s does not pass: %s', (_name, hsts, status, code) => {
    expect(verdict(hsts)).toEqual([['app.example.test', status, code]]);
  });

  it.each([
    ['the usual header', YEAR],
    ['directive names in any case', 'MAX-AGE=31536000; INCLUDESUBDOMAINS; Preload'],
    ['a quoted max-age and spaces around the separators', ' max-age = "63072000" ;includeSubDomains ; preload'],
    ['an unknown directive whose quoted value holds a comma', 'max-age=31536000; report-uri="https://r.example/a,b"'],
    ['empty directives between semicolons', 'max-age=31536000;; includeSubDomains;'],
  ])('%s passes: %s', (_name, hsts) => {
    expect(verdict(hsts)).toEqual([['app.example.test', 'pass', 'secure']]);
  });

  it('says why the header is ignored', () => {
    const facts = { http: [http('max-age=31536000; max-age=31536000')] };
    expect(renderedMessages(securityHeaders, facts, { domain })[0]).toContain('max-age appears more than once');
  });
});

describe('domain.http.security-headers: two Strict-Transport-Security headers, joined by the collector with ", "', () => {
  it('follows the first header: a first header browsers ignore is not rescued by a second one', () => {
    expect(verdict('includeSubDomains, max-age=31536000')).toEqual([['app.example.test', 'fail', 'hsts-malformed']]);
    expect(verdict('x-max-age=31536000, max-age=31536000')).toEqual([['app.example.test', 'fail', 'hsts-malformed']]);
  });

  it('a short first header fails, never the larger value', () => {
    expect(verdict('max-age=0, max-age=31536000')).toEqual([['app.example.test', 'fail', 'hsts-too-short']]);
    expect(verdict('max-age=86400, max-age=63072000; includeSubDomains')).toEqual([['app.example.test', 'fail', 'hsts-too-short']]);
  });

  it('a good first header followed by another is unverified: one header holding a comma is malformed, and the joined value cannot tell which it was', () => {
    expect(verdict('max-age=31536000, max-age=0')).toEqual([['app.example.test', 'unverified', 'hsts-ambiguous']]);
    expect(verdict(`${YEAR}, ${YEAR}`)).toEqual([['app.example.test', 'unverified', 'hsts-ambiguous']]);
  });
});

describe('domain.http.security-headers: where http:// redirects to', () => {
  it.each([
    ['the same host', 'https://app.example.test/login?next=%2F'],
    ['the same host on another port', 'https://app.example.test:8443/'],
    ['the apex', 'https://example.test/'],
    ['another configured host', 'https://api.example.test/'],
    ['the same host with a final dot', 'https://app.example.test./'],
  ])('https on %s passes', (_name, location) => {
    expect(verdict(YEAR, { location })).toEqual([['app.example.test', 'pass', 'secure']]);
  });

  it.each([
    ['another site', 'https://evil.example/'],
    ['a name that only starts with the host', 'https://app.example.test.evil.example/'],
    ['a sibling the config does not name', 'https://www.example.test/'],
  ])('https on %s is unverified: it cannot tell whether that host is yours', (_name, location) => {
    expect(verdict(YEAR, { location })).toEqual([['app.example.test', 'unverified', 'redirect-elsewhere']]);
  });

  it.each([
    ['an https:// with no host, which no browser can follow', 302, 'https://'],
    ['a scheme-relative Location, which stays on http', 301, '//app.example.test/'],
    ['a relative Location', 301, '/login'],
    ['a 304 is not a redirect', 304, 'https://app.example.test/'],
    ['a 300 is not followed', 300, 'https://app.example.test/'],
  ])('%s fails as plain HTTP served', (_name, status, location) => {
    expect(verdict(YEAR, { status, location })).toEqual([['app.example.test', 'fail', 'plain-http-served']]);
  });

  it('names the other host', () => {
    const facts = { http: [http(YEAR, { location: 'https://evil.example/' })] };
    expect(renderedMessages(securityHeaders, facts, { domain })[0]).toContain('evil.example');
  });
});
