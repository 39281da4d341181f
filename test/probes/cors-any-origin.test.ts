import { beforeAll, describe, expect, it } from 'vitest';
import { APP, corsStandIn, FOREIGN, NULL, PROD } from './support/cors-stand-in.js';

const stand = corsStandIn();
const { run, preflightsSeen: originsSeen } = stand;

beforeAll(async () => {
  // Express `cors({ origin: true, credentials: true })`: whatever Origin comes in goes back out.
  await stand.start('reflecting', (origin) => ({ 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', 'access-control-allow-methods': 'GET,POST', vary: 'Origin' }));
  await stand.start('strict', (origin) => (origin === APP ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', 'access-control-allow-methods': 'GET,POST', vary: 'Origin' } : null));
  // Names the production origin to everyone: the browser blocks every other site, so this is safe.
  await stand.start('fixed', () => ({ 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true' }));
  // Answers an unknown origin with `null`: a sandboxed iframe on any site has the origin `null`.
  await stand.start('nullForOthers', (origin) => ({ 'access-control-allow-origin': origin === APP ? origin : 'null', 'access-control-allow-credentials': 'true' }));
  await stand.start('wildcardCredentials', (origin) => (origin === APP ? { 'access-control-allow-origin': origin } : { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' }));
});

describe('CORS preflight from an origin no one would allow', () => {
  it('an API that reflects any Origin with credentials fails, naming the echoed value', async () => {
    const { fact, findings, verdicts } = await run('reflecting');
    expect(verdicts).toEqual([
      [PROD, 'pass', 'preflight-allowed'],
      [FOREIGN, 'fail', 'reflects-any-origin'],
      [NULL, 'fail', 'null-origin'],
    ]);
    expect(fact).toMatchObject({ foreign: { origin: 'https://readiness-cors-probe.invalid', connected: true, status: 204, allowOrigin: 'https://readiness-cors-probe.invalid', allowCredentials: 'true' } });
    expect(findings[1]!.args).toMatchObject({ url: 'https://api.example.test/', allowOrigin: 'https://readiness-cors-probe.invalid', allowCredentials: 'true' });
    // The foreign preflight asks exactly what the production one asks.
    expect(originsSeen).toContain('https://readiness-cors-probe.invalid POST authorization,content-type');
    expect(originsSeen).toContain(`${APP} POST authorization,content-type`);
  });

  it('an API that allows only the production origin passes', async () => {
    const { verdicts } = await run('strict');
    expect(verdicts).toEqual([
      [PROD, 'pass', 'preflight-allowed'],
      [FOREIGN, 'pass', 'foreign-origin-refused'],
      [NULL, 'pass', 'null-origin-refused'],
    ]);
  });

  it('an API that always names the production origin passes: the foreign site is not allowed', async () => {
    expect((await run('fixed')).verdicts).toEqual([
      [PROD, 'pass', 'preflight-allowed'],
      [FOREIGN, 'pass', 'foreign-origin-refused'],
      [NULL, 'pass', 'null-origin-refused'],
    ]);
  });

  it('`null` for an unknown origin, and `*` with credentials, fail', async () => {
    expect((await run('nullForOthers')).verdicts).toEqual([
      [PROD, 'pass', 'preflight-allowed'],
      [FOREIGN, 'fail', 'reflects-any-origin'],
      [NULL, 'fail', 'null-origin'],
    ]);
    expect((await run('wildcardCredentials')).verdicts).toEqual([
      [PROD, 'pass', 'preflight-allowed'],
      [FOREIGN, 'fail', 'reflects-any-origin'],
      [NULL, 'fail', 'null-origin'],
    ]);
  });

  it('a snapshot from before the foreign preflight was collected is unverified, never pass', async () => {
    const { fact, cfg } = await run('strict');
    const { foreign: _dropped, ...old } = fact as typeof fact & { foreign?: unknown };
    expect(stand.judge(old, cfg).verdicts).toEqual([
      [PROD, 'pass', 'preflight-allowed'],
      [FOREIGN, 'unverified', 'foreign-origin-not-probed'],
      [NULL, 'pass', 'null-origin-refused'],
    ]);
  });
});
