import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import backupsPitr from '../../../checks/supabase/supabase.backups.pitr.js';
import type { ConfigInput } from '../../../src/config/schema.js';
import { PROJECT_REF, projectRoutes, startManagementApi, type ManagementApiServer } from '../../support/management-api-server.js';
import { collectForChecks, TEST_NOW } from '../../support/supabase-collect.js';
import { runCase, type CheckCase } from '../../support/check-tester.js';

/**
 * With PITR the restore window is physical_backup_data: the dashboard offers restores between
 * earliest_ and latest_physical_backup_date_unix and shows "no backups" when either is missing;
 * daily backups stop once PITR is on, so a listed backup says nothing about the window.
 */
const supabase = { supabase: { projectRef: PROJECT_REF } };
const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const HOURS_BEFORE_NOW = (hours: number) => new Date(TEST_NOW.getTime() - hours * 3_600_000).toISOString();

describe('supabase.backups.pitr: the PITR restore window', () => {
  const backups = (over: Record<string, unknown> = {}) => ({
    pitrEnabled: true, walgEnabled: true, backupCount: 1, latestBackup: { status: 'COMPLETED', insertedAt: '2025-10-11T03:00:00Z' }, latestPhysicalBackupAt: '2025-10-11T22:28:00.000Z', ...over,
  });
  const cases: CheckCase[] = [
    { name: 'PITR with a restore point minutes old passes', facts: { backups: backups() }, expected: [['pitr', 'pass', 'pitr-enabled'], ['latest-backup', 'pass', 'backup-completed']] },
    {
      name: 'PITR on with no restore point reported is unverified, not passed on the flag',
      facts: { backups: backups({ latestPhysicalBackupAt: null }) },
      expected: [['pitr', 'unverified', 'pitr-no-restore-point'], ['latest-backup', 'pass', 'backup-completed']],
    },
    {
      name: 'PITR on whose latest restore point is 3 days old fails, even with a fresh backup listed',
      facts: { backups: backups({ latestPhysicalBackupAt: HOURS_BEFORE_NOW(72) }) },
      expected: [['pitr', 'fail', 'pitr-stale'], ['latest-backup', 'pass', 'backup-completed']],
    },
    { name: 'PITR off still fails as off, whatever the window', facts: { backups: backups({ pitrEnabled: false, latestPhysicalBackupAt: null }) }, expected: [['pitr', 'fail', 'pitr-disabled'], ['latest-backup', 'pass', 'backup-completed']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(backupsPitr, { config: supabase, ...c })).toEqual(c.expected));
});

describe('supabase.backups.pitr: answers of GET /database/backups (local stand-in)', () => {
  const path = `/v1/projects/${PROJECT_REF}/database/backups`;
  let server: ManagementApiServer;
  const config = (): Partial<ConfigInput> => ({ supabase: { projectRef: PROJECT_REF, accessToken: 'test-token', apiUrl: server.url } });
  const answer = (physical: Record<string, number>) => ({
    region: 'us-east-1',
    walg_enabled: true,
    pitr_enabled: true,
    backups: [{ id: 1, is_physical_backup: true, status: 'COMPLETED', inserted_at: '2025-10-11T03:00:00Z' }],
    physical_backup_data: physical,
  });
  const run = async (body: unknown) => {
    server.script(path, { status: 200, body });
    return (await collectForChecks([backupsPitr], config())).results(backupsPitr);
  };

  beforeAll(async () => {
    server = await startManagementApi(projectRoutes());
  });
  afterAll(() => server.stop());

  it('a restore window ending 3 days ago (WAL archiving stopped) fails', async () => {
    const results = await run(answer({ earliest_physical_backup_date_unix: unix('2025-10-01T00:00:00Z'), latest_physical_backup_date_unix: unix(HOURS_BEFORE_NOW(72)) }));
    expect(results[0]).toEqual(['pitr', 'fail', 'pitr-stale']);
  });

  it('an answer with only the earliest point (no latest restore point) is unverified', async () => {
    const results = await run(answer({ earliest_physical_backup_date_unix: unix('2025-10-01T00:00:00Z') }));
    expect(results[0]).toEqual(['pitr', 'unverified', 'pitr-no-restore-point']);
  });

  it('an empty physical_backup_data is unverified', async () => {
    const results = await run(answer({}));
    expect(results[0]).toEqual(['pitr', 'unverified', 'pitr-no-restore-point']);
  });

  it('a window ending minutes ago passes', async () => {
    const results = await run(answer({ earliest_physical_backup_date_unix: unix('2025-10-04T22:00:00Z'), latest_physical_backup_date_unix: unix(HOURS_BEFORE_NOW(0.05)) }));
    expect(results).toEqual([['pitr', 'pass', 'pitr-enabled'], ['latest-backup', 'pass', 'backup-completed']]);
  });
});
