import { defineCheck, type Finding } from '../../src/model.js';
import { supabaseBackups } from '../../src/facts/supabase-management.js';
import { projectRefOf } from '../lib/supabase.js';

const MAX_BACKUP_AGE_HOURS = 48;

export default defineCheck({
  meta: {
    id: 'supabase.backups.pitr',
    title: 'Point-in-time recovery is on and backups complete',
    failureTitle: 'Point-in-time recovery is off or backups are failing',
    description: `Daily backups lose up to a day of records; PITR restores to any second. With PITR on, its latest restore point (\`physical_backup_data.latest_physical_backup_date_unix\`) must be within ${MAX_BACKUP_AGE_HOURS} hours (unverified when the answer gives none), and the latest backup must have COMPLETED within ${MAX_BACKUP_AGE_HOURS} hours.`,
    section: 'supabase',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.308(a)(7)(ii)(A)'],
    phase: 1,
    remediation: {
      text: 'Enable the PITR add-on (the command, or Dashboard → Project Settings → Add-ons → Point in time recovery; needs a Small compute or larger; billed) and investigate failed backups with Supabase support',
      // The add-on call of the Management API (PATCH /v1/projects/{ref}/billing/addons): it enables PITR, with 7 days of history.
      command: `curl -fsS -X PATCH '{{apiUrl}}/v1/projects/{{projectRef}}/billing/addons' -H "Authorization: Bearer $SUPABASE_ACCESS_TOKEN" -H 'Content-Type: application/json' -d '{"addon_type":"pitr","addon_variant":"pitr_7"}'`,
      effortMinutes: 30,
    },
    messages: {
      'pitr-enabled': 'Point-in-time recovery is enabled',
      'pitr-disabled': 'Point-in-time recovery is disabled',
      'pitr-no-restore-point': 'Point-in-time recovery is enabled but the answer gives no latest restore point (physical_backup_data.latest_physical_backup_date_unix): no restore is shown to be possible',
      'pitr-stale': 'Point-in-time recovery is enabled but its latest restore point is {{pitrAt}}, older than {{maxHours}} h: later changes cannot be restored',
      'backup-completed': 'Latest backup completed at {{at}}',
      'backup-not-completed': 'Latest backup ({{at}}) is {{status}}',
      'backup-old': 'Latest completed backup is from {{at}}, older than {{maxHours}} h',
      'no-backup': 'No backup is recorded',
    },
  },
  facts: { backups: supabaseBackups },
  evaluate({ backups }, { config, now }) {
    const projectRef = projectRefOf(config);
    const isRecent = (at: string) => (now.getTime() - Date.parse(at)) / 3_600_000 <= MAX_BACKUP_AGE_HOURS;
    // The flag is the add-on, not a working archive: the restore window (what the dashboard offers) is the evidence.
    const pitrAt = backups.latestPhysicalBackupAt;
    const findings: Finding[] = [
      {
        resource: 'pitr',
        ...(!backups.pitrEnabled
          ? { status: 'fail', code: 'pitr-disabled' }
          : !pitrAt
            ? { status: 'unverified', code: 'pitr-no-restore-point' }
            : !isRecent(pitrAt)
              ? { status: 'fail', code: 'pitr-stale' }
              : { status: 'pass', code: 'pitr-enabled' }),
        // Only this finding carries the API URL: the backup findings have no command (their fix is Supabase support).
        args: { projectRef, apiUrl: config.supabase?.apiUrl.replace(/\/+$/, '') ?? 'https://api.supabase.com', pitrAt: pitrAt ?? '', maxHours: MAX_BACKUP_AGE_HOURS },
        evidence: { pitr_enabled: backups.pitrEnabled, walg_enabled: backups.walgEnabled, latest_restore_point: pitrAt },
      },
    ];
    // With PITR the list of logical backups can be empty: physical backups then count.
    const latest =
      backups.latestPhysicalBackupAt && (!backups.latestBackup || Date.parse(backups.latestPhysicalBackupAt) > Date.parse(backups.latestBackup.insertedAt))
        ? { status: 'COMPLETED', insertedAt: backups.latestPhysicalBackupAt }
        : backups.latestBackup;
    const evidence = { latestStatus: latest?.status ?? null, latestAt: latest?.insertedAt ?? null, backupCount: backups.backupCount };
    const args = { projectRef, at: latest?.insertedAt ?? '', status: latest?.status ?? '', maxHours: MAX_BACKUP_AGE_HOURS };
    if (!latest) return [...findings, { resource: 'latest-backup', status: 'fail', code: 'no-backup', args, evidence }];
    if (latest.status !== 'COMPLETED') return [...findings, { resource: 'latest-backup', status: 'fail', code: 'backup-not-completed', args, evidence }];
    if (!isRecent(latest.insertedAt)) return [...findings, { resource: 'latest-backup', status: 'fail', code: 'backup-old', args, evidence }];
    return [...findings, { resource: 'latest-backup', status: 'pass', code: 'backup-completed', args, evidence }];
  },
});
