import { describe, expect, it } from 'vitest';
import { demoReport } from '../support/demo.js';

const MINE = /^(supabase\.(?!baa)|app\.db\.|app\.secrets\.)/;

describe('the demo replays the seed\'s Supabase and database state', () => {
  it('statuses per check match the hand-written assessment', async () => {
    const report = await demoReport();
    const statuses = (id: string) => [...new Set(report.results.filter((r) => r.checkId === id).map((r) => `${r.status}:${r.code}`))];
    expect(statuses('supabase.project.healthy')).toEqual(['pass:healthy', 'pass:service-healthy']);
    expect(statuses('supabase.migrations.applied')).toEqual(['pass:applied']);
    expect(report.results.find((r) => r.checkId === 'supabase.migrations.applied')?.evidence.applied).toBe('143/143');
    expect(statuses('supabase.functions.deployed')).toEqual(['fail:not-deployed']);
    expect(statuses('supabase.secrets.required')).toEqual(['fail:missing']);
    expect(statuses('app.db.rls-enabled')).toEqual(['pass:enabled']);
    expect(statuses('app.db.rls-policies')).toEqual(['pass:has-policies']);
    expect(statuses('app.db.extensions')).toEqual(['pass:installed']);
    expect(statuses('app.db.audit-logging')).toContain('fail:not-audited');
    expect(statuses('supabase.auth.mfa')).toEqual(['fail:disabled']);
    expect(statuses('supabase.auth.session-timeout')).toEqual(['fail:inactivity-not-set', 'fail:timebox-not-set']);
  });

  it('every message and command of these checks is fully rendered', async () => {
    const report = await demoReport();
    const results = report.results.filter((r) => MINE.test(r.checkId));
    expect(results.length).toBeGreaterThan(30);
    for (const result of results) {
      expect(`${result.message} ${result.remediation.command ?? ''}`, `${result.checkId} ${result.code}`).not.toMatch(/\{\{/);
    }
  });
});
