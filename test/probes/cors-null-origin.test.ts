import type { OutgoingHttpHeaders } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP, corsStandIn, FOREIGN, NULL, PROD } from './support/cors-stand-in.js';

const stand = corsStandIn();
const { run, preflightsSeen: requestsSeen } = stand;
const allow = (origin: string): OutgoingHttpHeaders => ({ 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', 'access-control-allow-methods': 'GET,POST', vary: 'Origin' });

beforeAll(async () => {
  // An allow-list with `null` in it (left from local file:// testing): only that value and the app get in.
  await stand.start('allowsNull', (origin) => (origin === APP || origin === 'null' ? allow(origin) : null));
  await stand.start('strict', (origin) => (origin === APP ? allow(origin) : null));
});

describe('CORS preflight from the origin `null` (sandboxed iframes, data: and file: pages)', () => {
  it('an API whose allow-list holds `null` fails, naming the host', async () => {
    const { fact, findings, verdicts } = await run('allowsNull');
    expect(verdicts).toEqual([
      [PROD, 'pass', 'preflight-allowed'],
      [FOREIGN, 'pass', 'foreign-origin-refused'],
      [NULL, 'fail', 'null-origin'],
    ]);
    expect(fact).toMatchObject({ nullOrigin: { origin: 'null', connected: true, status: 204, allowOrigin: 'null', allowCredentials: 'true' } });
    expect(findings[2]!.args).toMatchObject({ url: 'https://api.example.test/', allowOrigin: 'null', allowCredentials: 'true' });
    // Asked exactly what the production origin asks.
    expect(requestsSeen).toContain('null POST authorization,content-type');
  });

  it('an API that answers `null` with no Access-Control-Allow-Origin passes', async () => {
    const { fact, verdicts } = await run('strict');
    expect(verdicts).toEqual([
      [PROD, 'pass', 'preflight-allowed'],
      [FOREIGN, 'pass', 'foreign-origin-refused'],
      [NULL, 'pass', 'null-origin-refused'],
    ]);
    expect(fact).toMatchObject({ nullOrigin: { origin: 'null', connected: true, status: 403, allowOrigin: null, allowCredentials: null } });
  });

  it('a snapshot from before the `null` preflight was collected is unverified, never pass', async () => {
    const { fact, cfg } = await run('strict');
    const { nullOrigin: _dropped, ...old } = fact as typeof fact & { nullOrigin?: unknown };
    expect(stand.judge(old, cfg).verdicts).toEqual([
      [PROD, 'pass', 'preflight-allowed'],
      [FOREIGN, 'pass', 'foreign-origin-refused'],
      [NULL, 'unverified', 'null-origin-not-probed'],
    ]);
  });
});
