import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import advisors from '../../checks/supabase/supabase.advisors.security.js';
import backupsPitr from '../../checks/supabase/supabase.backups.pitr.js';
import mfa from '../../checks/supabase/supabase.auth.mfa.js';
import networkRestrictions from '../../checks/supabase/supabase.network-restrictions.js';
import projectHealthy from '../../checks/supabase/supabase.project.healthy.js';
import sslEnforcement from '../../checks/supabase/supabase.ssl-enforcement.js';
import { ManagementRateLimits, type Clock } from '../../src/collectors/supabase/rate-limit.js';
import { loadConfig } from '../../src/config/load.js';
import { collectLive, planFacts } from '../../src/engine/run.js';
import type { AnyCheck } from '../../src/model.js';
import { projectRoutes, startManagementApi, type ManagementApiServer } from '../support/management-api-server.js';

// The Management API allows 120 requests a minute per token. Pacing is measured on a virtual clock (a sleep moves
// it forward at once) with a small limit, against the local stand-in: no assertion depends on wall-clock time.

const STAGING = 'stagingstagingstagin';
const PROD = 'prodprodprodprodprod';
const checks: AnyCheck[] = [projectHealthy, mfa, sslEnforcement, networkRestrictions, backupsPitr, advisors];
const MINUTE = 60_000;

class VirtualClock implements Clock {
  time = 0;
  sleeps: number[] = [];
  now = () => this.time;
  sleep = async (ms: number, signal: AbortSignal) => {
    signal.throwIfAborted();
    this.sleeps.push(ms);
    this.time += ms;
  };
}

/** The limits, recording the virtual time at which each request of each token was let through. */
function recordingLimits(clock: VirtualClock, requests: number) {
  const limits = new ManagementRateLimits(clock, { requests, perMs: MINUTE });
  const sent = new Map<string, number[]>();
  const forToken = limits.forToken.bind(limits);
  const recording = new Set<object>();
  limits.forToken = (token) => {
    const bucket = forToken(token);
    if (recording.has(bucket)) return bucket;
    recording.add(bucket);
    const take = bucket.take.bind(bucket);
    bucket.take = async (signal) => {
      await take(signal);
      sent.set(token, [...(sent.get(token) ?? []), clock.now()]);
    };
    return bucket;
  };
  return { limits, sent };
}

/** No window of `perMs` holds more than `requests` of the times. */
function mostInAnyMinute(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0; i < sorted.length; i++) most = Math.max(most, sorted.filter((t) => t >= sorted[i]! && t < sorted[i]! + MINUTE).length);
  return most;
}

let server: ManagementApiServer;
let dir: string;

async function run(projects: string, requests: number) {
  const file = join(dir, 'readiness.config.yaml');
  await writeFile(file, `project: pacing\nsupabase:\n  accessToken: shared-token\n  apiUrl: ${server.url}\n  projects:\n${projects}`);
  const loaded = await loadConfig(file, {});
  const clock = new VirtualClock();
  const { limits, sent } = recordingLimits(clock, requests);
  const outcomes = await collectLive({ loaded, facts: planFacts(checks, loaded.config), now: new Date('2026-11-30T00:00:00Z'), env: {}, managementRateLimits: limits, timeoutMs: 60_000 });
  return { outcomes, clock, sent };
}

beforeAll(async () => {
  server = await startManagementApi({ ...projectRoutes({}, PROD), ...projectRoutes({}, STAGING) });
  dir = await mkdtemp(join(tmpdir(), 'readiness-pacing-'));
});
afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  server.requests.length = 0;
});

describe('Management API pacing across projects', () => {
  it('two projects sharing a token share one bucket: never more than the limit in any minute, every request paced', async () => {
    const { outcomes, clock, sent } = await run(`    - { ref: ${PROD} }\n    - { ref: ${STAGING} }\n`, 4);
    const times = sent.get('shared-token') ?? [];
    expect(times.length).toBe(server.requests.length);
    expect(server.requests.filter((r) => r.path.includes(PROD)).length).toBeGreaterThan(4);
    expect(server.requests.filter((r) => r.path.includes(STAGING)).length).toBeGreaterThan(4);
    expect(mostInAnyMinute(times)).toBe(4);
    // Paced, not refused: it took as many virtual minutes as the calls need, and every fact of both projects was read.
    expect(clock.time).toBeGreaterThanOrEqual(Math.floor((times.length - 1) / 4) * MINUTE);
    for (const [id, outcome] of outcomes) expect(outcome.ok, `${id}: ${outcome.ok ? '' : outcome.failure.message}`).toBe(true);
  });

  it('a project with its own token has its own bucket', async () => {
    const { sent } = await run(`    - { ref: ${PROD} }\n    - { ref: ${STAGING}, accessToken: staging-token }\n`, 4);
    expect([...sent.keys()].sort()).toEqual(['shared-token', 'staging-token']);
    expect(server.requests.filter((r) => r.path.includes(STAGING)).every((r) => r.authorization === 'Bearer staging-token')).toBe(true);
    for (const times of sent.values()) expect(mostInAnyMinute(times)).toBeLessThanOrEqual(4);
  });

  it('a 429 pauses every request of that token until its Retry-After, then the call is retried', async () => {
    server.script(`/v1/projects/${PROD}/health`, { status: 429, body: { message: 'Too many requests' }, headers: { 'retry-after': '30' } });
    const { outcomes, clock, sent } = await run(`    - { ref: ${PROD} }\n    - { ref: ${STAGING} }\n`, 120);
    expect(outcomes.get(`supabase.health@${PROD}`)?.ok).toBe(true);
    expect(clock.sleeps).toContain(30_000);
    const times = sent.get('shared-token')!;
    // Within the limit nothing waits, except after the 429: the requests let through after it are 30 s later.
    expect(times.filter((t) => t === 0).length).toBeGreaterThan(0);
    expect(times.filter((t) => t >= 30_000).length).toBeGreaterThan(0);
    expect(times.every((t) => t === 0 || t >= 30_000)).toBe(true);
    expect(times.length).toBe(server.requests.length);
  });
});
