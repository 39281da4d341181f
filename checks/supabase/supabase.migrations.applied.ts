import { defineCheck } from '../../src/model.js';
import { remoteMigrations } from '../../src/facts/postgres.js';
import { localMigrations } from '../../src/facts/supabase-local.js';
import { projectRefOf } from '../lib/supabase.js';

const LISTED = 10;

function list(versions: string[]): string {
  return versions.length > LISTED ? `${versions.slice(0, LISTED).join(', ')} … (+${versions.length - LISTED})` : versions.join(', ');
}

export default defineCheck({
  meta: {
    id: 'supabase.migrations.applied',
    title: 'Every migration is applied',
    failureTitle: 'Database migrations are not in sync',
    description:
      'Every file of `supabase.migrationsDir` must be recorded in supabase_migrations.schema_migrations, nothing applied remotely may be missing from the repository (a change made outside version control), and no applied file may have been edited since: its SQL is compared with the statements the CLI recorded applying it (whitespace and semicolons between statements aside). A schema change made in the dashboard records no migration at all and is not seen here.',
    section: 'supabase',
    severity: 'critical',
    layer: 'application',
    hipaa: [],
    phase: 2,
    remediation: {
      text: 'Review what the dry run would apply, then apply the pending migrations with the same command without `--dry-run`; commit any migration that exists only remotely (`npx supabase migration fetch`); never edit an applied migration: restore it and make the change in a new one',
      command: 'npx supabase db push --linked --dry-run',
      effortMinutes: 30,
    },
    messages: {
      applied: '{{applied}}/{{total}} migrations applied',
      pending: '{{applied}}/{{total}} migrations applied; not applied: {{missing}}',
      'remote-only': 'Applied remotely but absent from {{dir}}: {{unknown}}',
      'out-of-sync': 'Not applied: {{missing}}; applied remotely but absent from {{dir}}: {{unknown}}',
      'no-history': 'supabase_migrations.schema_migrations does not exist: no migration was ever applied with the CLI ({{total}} local files)',
      'no-migrations': 'No migration file in {{dir}} and none applied',
      'edited-after-apply': 'Edited after they were applied (the database ran other SQL): {{edited}}',
      'content-not-collected': '{{applied}}/{{total}} migrations applied; whether applied files were edited since was not collected',
      'content-unrecorded':
        '{{applied}}/{{total}} migrations applied; the database recorded no statements for {{unrecorded}}, so whether those files were edited since is unknown (once checked, `npx supabase migration repair --status applied <version>` records them)',
    },
  },
  facts: { local: localMigrations, remote: remoteMigrations },
  evaluate({ local, remote }, { config }) {
    const resource = config.supabase?.projectRef ?? 'migrations';
    const remoteSet = new Set(remote.versions);
    const localSet = new Set(local.versions);
    const missing = local.versions.filter((version) => !remoteSet.has(version));
    const unknown = remote.versions.filter((version) => !localSet.has(version));
    const applied = local.versions.length - missing.length;
    // Snapshots taken before the hashes were collected cannot tell an edited file.
    const hashes = local.files && remote.hashes;
    const appliedFiles = (local.files ?? []).filter((file) => remoteSet.has(file.version));
    const edited = appliedFiles.filter((file) => typeof hashes?.[file.version] === 'string' && hashes[file.version] !== file.hash).map((file) => file.name);
    const unrecorded = [...new Set(appliedFiles.filter((file) => typeof hashes?.[file.version] !== 'string').map((file) => file.version))];
    const args = {
      applied,
      total: local.versions.length,
      missing: list(missing),
      unknown: list(unknown),
      edited: list(edited),
      unrecorded: list(unrecorded),
      dir: local.dir,
      projectRef: projectRefOf(config),
    };
    const evidence = {
      applied: `${applied}/${local.versions.length}`,
      missing,
      remoteOnly: unknown,
      editedAfterApply: edited,
      statementsNotRecorded: hashes ? unrecorded : null,
      ignoredFiles: local.ignored,
      historyTable: remote.tableExists,
    };
    if (local.versions.length === 0 && remote.versions.length === 0) return [{ resource, status: 'not_applicable', code: 'no-migrations', args, evidence }];
    if (!remote.tableExists) return [{ resource, status: 'fail', code: 'no-history', args, evidence }];
    if (missing.length > 0 && unknown.length > 0) return [{ resource, status: 'fail', code: 'out-of-sync', args, evidence }];
    if (missing.length > 0) return [{ resource, status: 'fail', code: 'pending', args, evidence }];
    if (unknown.length > 0) return [{ resource, status: 'fail', code: 'remote-only', args, evidence }];
    if (edited.length > 0) return [{ resource, status: 'fail', code: 'edited-after-apply', args, evidence }];
    if (!hashes) return [{ resource, status: 'unverified', code: 'content-not-collected', args, evidence }];
    if (unrecorded.length > 0) return [{ resource, status: 'unverified', code: 'content-unrecorded', args, evidence }];
    return [{ resource, status: 'pass', code: 'applied', args, evidence }];
  },
});
