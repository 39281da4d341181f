import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../support/cli.js';
import { PLANTED_SECRETS, PROJECT_REF, projectRoutes, startManagementApi, type ManagementApiServer } from '../support/management-api-server.js';
import { PLANTED_DB_PASSWORD, plantedRepository, SERVICE_ROLE_KEY } from '../support/planted-repository.js';
import { databaseUrl } from '../support/supabase-postgres.js';

// Marker secrets in every input the tool reads; none may come out, in any output, in any encoding.
const CANARY = {
  accessToken: 'sbp_canary0access0token0c0ffee0123456789',
  awsSecretKey: 'canary/aws+secret=key0123456789ABCDEFGHIJ',
  awsSessionToken: 'canary-aws-session-token-IQoJb3JpZ2luX2VjE',
  dbPassword: 'canary-db-p@ss:word&9',
  probePassword: 'canary-probe-password-4d5e',
  probeToken: 'canary-probe-token-6f7a',
  redirectPassword: 'canary-redirect-password-8b9c',
  redirectToken: 'canary-redirect-access-token-0d1e',
  redirectCode: 'canary-oauth-code-2f3a',
  dsnKey: 'canary0dsn0key0b5c6d7e8f9a0b1c2',
  evidenceSignature: 'canary-presigned-signature-3c4d',
};
const PLANTED = [...Object.values(CANARY), ...Object.values(PLANTED_SECRETS), SERVICE_ROLE_KEY, PLANTED_DB_PASSWORD];

/** A secret as it would look raw, JSON-escaped, URL-encoded, HTML-escaped, or inside base64 at any of the three alignments. */
function encodings(secret: string): string[] {
  const html = secret.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
  const base64 = [0, 1, 2].map((shift) => {
    const encoded = Buffer.from('\0'.repeat(shift) + secret).toString('base64');
    // Drop the characters that also depend on the neighbours of the secret.
    return encoded.slice(Math.ceil((shift * 4) / 3) + 1, -4);
  });
  return [...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), encodeURI(secret), html, ...base64])].filter((form) => form.length >= 8);
}

let repo: string;
let api: ManagementApiServer;
let redirect: Server;
let aws: Server;
const awsRequests: string[] = [];
let config: string;
let redirectPort: number;
const env = () => ({
  SUPABASE_ACCESS_TOKEN: CANARY.accessToken,
  SUPABASE_DB_URL: databaseUrl('reader', encodeURIComponent(CANARY.dbPassword), '127.0.0.1:9/postgres'),
  AWS_ACCESS_KEY_ID: 'AKIACANARYKEYID00000',
  AWS_SECRET_ACCESS_KEY: CANARY.awsSecretKey,
  AWS_SESSION_TOKEN: CANARY.awsSessionToken,
  AWS_REGION: 'us-east-1',
  // Secrets reach the config only through ${...}: a DSN and a probe URL with credentials too.
  SENTRY_DSN: `https://${CANARY.dsnKey}@o1.ingest.sentry.io/1`,
  PROBE_URL: `http://prober:${CANARY.probePassword}@127.0.0.1:${redirectPort}/health?access_token=${CANARY.probeToken}`,
  GITHUB_ACTIONS: 'true',
  GITHUB_STEP_SUMMARY: join(repo, 'step-summary.md'),
});

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

beforeAll(async () => {
  repo = await plantedRepository();
  api = await startManagementApi(projectRoutes());
  // Plain HTTP redirects to a URL carrying credentials; the health probe answers 200.
  redirect = createServer((request, response) => {
    if (request.url?.startsWith('/health')) return response.writeHead(200).end('ok');
    response.writeHead(301, { location: `https://user:${CANARY.redirectPassword}@app.example.test/cb?access_token=${CANARY.redirectToken}&code=${CANARY.redirectCode}` }).end();
  });
  // An AWS endpoint whose error message quotes the caller's session token (as a misbehaving proxy or service might).
  aws = createServer((request, response) => {
    awsRequests.push(request.url ?? '');
    const body = `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token ${CANARY.awsSessionToken} included in the request is invalid.</Message></Error><RequestId>1</RequestId></ErrorResponse>`;
    response.writeHead(403, { 'content-type': 'text/xml' }).end(body);
  });
  let awsPort: number;
  [redirectPort, awsPort] = await Promise.all([listen(redirect), listen(aws)]);
  config = join(repo, 'readiness.config.yaml');
  await writeFile(
    config,
    [
      'project: canaries',
      'aws:',
      '  region: us-east-1',
      `  endpoint: http://127.0.0.1:${awsPort}`,
      'supabase:',
      `  projectRef: ${PROJECT_REF}`,
      '  accessToken: ${SUPABASE_ACCESS_TOKEN}',
      `  apiUrl: ${api.url}`,
      '  dbUrl: ${SUPABASE_DB_URL}',
      '  requiredSecrets: [DATABASE_PASSWORD]',
      'domain:',
      '  name: app.example.test',
      '  frontendBuildDir: dist',
      `  resolve: { "app.example.test:80": "127.0.0.1:${redirectPort}", "app.example.test": "127.0.0.1:9" }`,
      'probes:',
      '  - { id: health, url: "${PROBE_URL}" }',
      'evidence:',
      '  errorTrackingDsn: ${SENTRY_DSN}',
      'attestations:',
      `  aws-baa: { signed: 2025-10-13, by: Jane Doe, evidence: "https://files.example.test/baa.pdf?X-Amz-Signature=${CANARY.evidenceSignature}&X-Amz-Expires=60" }`,
      'vendors: [supabase]',
      '',
    ].join('\n'),
  );
}, 60_000);

afterAll(async () => {
  await api?.stop();
  await new Promise((resolve) => redirect?.close(resolve));
  await new Promise((resolve) => aws?.close(resolve));
  await rm(repo, { recursive: true, force: true });
});

const ONLY = [
  'supabase.project.healthy',
  'supabase.secrets.required',
  'supabase.auth.mfa',
  'app.db.rls-enabled',
  'app.secrets.service-key-exposure',
  'domain.http.security-headers',
  'domain.probes.health',
  'monitoring.error-tracking',
  'aws.secrets.rotation',
  'aws.baa',
  'compliance.vendor-baas',
].join(',');

describe('canaries: marker secrets in every input', () => {
  it('appear in no format, snapshot, step summary, stderr or --debug output, raw or encoded', async () => {
    const out = join(repo, 'reports');
    const snapshot = join(repo, 'snapshot.json');
    const runs: [string, CliRun][] = [];
    runs.push(['check', await runCli(['check', '--config', config, '--only', ONLY, '--format', 'json,md,html,sarif,junit,github,terminal', '--out', out, '--ci', '--debug', '--timeout', '30'], env())]);
    runs.push(['collect', await runCli(['collect', '--config', config, '--only', ONLY, '--out', snapshot, '--debug', '--timeout', '30'], env())]);
    runs.push(['replay', await runCli(['check', '--config', config, '--only', ONLY, '--snapshot', snapshot, '--format', 'terminal', '--verbose', '--debug'], env())]);

    const report = JSON.parse(await readFile(join(out, 'readiness-report.json'), 'utf8')) as { results: { checkId: string; status: string; evidence: Record<string, unknown> }[] };
    // The inputs were really read (else this proves nothing): the planted key is found, the redirect followed, the AWS stand-in asked.
    const statuses = Object.fromEntries(report.results.map((r) => [r.checkId, r.status]));
    expect(statuses['app.secrets.service-key-exposure']).toBe('fail');
    expect(statuses['supabase.auth.mfa']).toBe('pass');
    expect(statuses['domain.probes.health']).toBe('pass');
    expect(statuses['aws.secrets.rotation']).toBe('unverified');
    expect(awsRequests.length).toBeGreaterThan(0);
    expect(JSON.stringify(report)).toContain('app.example.test/cb');

    const outputs: [string, string][] = [
      ...runs.flatMap(([name, run]) => [[`${name} stdout`, run.stdout], [`${name} stderr`, run.stderr]] as [string, string][]),
      ...(await Promise.all((await readdir(out)).map(async (file) => [file, await readFile(join(out, file), 'utf8')] as [string, string]))),
      ['snapshot', await readFile(snapshot, 'utf8')],
      ['step summary', await readFile(join(repo, 'step-summary.md'), 'utf8')],
    ];
    expect(outputs.length).toBeGreaterThanOrEqual(14);
    const leaks: string[] = [];
    for (const secret of PLANTED) {
      for (const form of encodings(secret)) {
        for (const [name, text] of outputs) if (text.includes(form)) leaks.push(`${JSON.stringify(form)} (from ${secret}) in ${name}`);
      }
    }
    const forms = PLANTED.flatMap(encodings).length;
    console.log(`canaries: ${PLANTED.length} secrets × their encodings (${forms} forms) searched in ${outputs.length} outputs: ${leaks.length} found`);
    expect(leaks).toEqual([]);
  }, 120_000);
});
