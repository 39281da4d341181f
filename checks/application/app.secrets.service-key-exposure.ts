import { defineCheck, type FactValue, type Finding } from '../../src/model.js';
import { exposedSecrets } from '../../src/facts/repository.js';
import { shellQuote } from '../lib/shell.js';

const KIND_LABEL = {
  'service-role-jwt': 'a Supabase service-role key (JWT)',
  'supabase-secret-key': 'a Supabase secret API key (sb_secret_)',
  'database-url-password': 'a database URL with its password',
  'database-password': 'a database password (PGPASSWORD, POSTGRES_PASSWORD, DB_PASSWORD…)',
} as const;

/** The commits that touched the file (where the key came in, and who has a copy): a file name is one shell word. */
const logCommand = (file: string): string => `git log --oneline --all -- ${shellQuote(file)}`;

export default defineCheck({
  meta: {
    id: 'app.secrets.service-key-exposure',
    title: 'No service key or database password in the code or the frontend build',
    failureTitle: 'A service key or database password is exposed',
    description: 'The service-role key bypasses every RLS policy and a database password opens Postgres directly; in a tracked file they are in every clone and in the history, in the built frontend they are served to every visitor. The scan covers the whole git work tree the config belongs to (files git would commit), every line any commit of its history added (a key deleted since is still in every clone: only rotating it helps), and `domain.frontendBuildDir`; outside a work tree, the config\'s folder. A shallow clone hides the history: unverified until fetched with full depth. The report names file and line, never the value, and the evidence states the scope and file counts; a scope without code or configuration is unverified.',
    section: 'application',
    severity: 'critical',
    layer: 'application',
    hipaa: ['164.312(a)(1)'],
    phase: 1,
    remediation: {
      text: 'Rotate the credential first (Dashboard → Project Settings → API → roll the service_role / secret key; Database → reset the password), then remove it from the file, read it from the environment, and purge it from git history',
      command: '{{fix}}',
      effortMinutes: 60,
    },
    messages: {
      exposed: '{{what}} at {{resource}}',
      'exposed-in-history': '{{what}} was committed in {{commit}} at {{file}}:{{line}}; deleting the file does not remove it from the history every clone holds: rotate the key',
      'shallow-history': 'The repository is a shallow clone: commits before its boundary are not here, and a key committed there would not be seen; fetch the full history (git fetch --unshallow; in GitHub Actions, actions/checkout with fetch-depth: 0)',
      'git-unreadable':
        'The scanned folder is in a git repository ({{scope}}) that git refused ({{error}}): its files were read as a plain folder and its history not at all, so a key committed and deleted since would not be seen. In a CI container that checked the repository out as another user, trust it for git (the command), then scan again',
      'history-not-scanned': 'The snapshot does not record a scan of the git history: a key committed and deleted since would not be seen; run the scan again',
      clean: 'No service-role key or database password in {{files}} files ({{sourceFiles}} of code or configuration) of {{scope}} ({{source}}{{build}}){{history}}',
      'no-source-files': 'The scan of {{scope}} ({{source}}) found no code or configuration among {{files}} files: a clean result would say nothing',
      'build-dir-missing': 'The frontend build folder {{buildDir}} does not exist: build the frontend before the scan',
      'files-unscanned': '{{count}} file(s) could not be scanned ({{files}}): a key may hide there',
    },
  },
  facts: { scan: exposedSecrets },
  evaluate({ scan }) {
    // Fail closed: "clean" only when every listed file, the configured build and the history were read.
    const gaps = coverageGaps(scan);
    if (scan.findings.length === 0 && gaps.length > 0) return [gaps[0]!];
    if (scan.findings.length === 0) {
      const scope = scan.scope ?? '(scope not recorded)';
      const evidence = { scope: scan.scope, filesScanned: scan.filesScanned, sourceFiles: scan.sourceFiles, source: scan.source, buildDir: scan.buildDir, historyCommits: scan.history?.commits ?? null, shallow: scan.history?.shallow ?? null };
      const args = { file: '<file>', files: scan.filesScanned, sourceFiles: scan.sourceFiles ?? 'unknown', scope, source: scan.source === 'git' ? 'git work tree: files git would commit' : 'not a git work tree: every file', build: scan.buildDir ? ` and ${scan.buildDir}` : '', history: scan.history ? `, nor in the ${scan.history.commits} commit(s) of its history` : '' };
      // Older snapshots did not record the scope: their scan may have covered only the config's folder.
      if (scan.sourceFiles === null || scan.sourceFiles === 0) return [{ resource: 'repository', status: 'unverified', code: 'no-source-files', args, evidence }];
      return [{ resource: 'repository', status: 'pass', code: 'clean', args, evidence }];
    }
    // What was found fails, and what was not read is still said: the findings may not be all there is.
    const exposed = scan.findings.map(
      (finding): Finding => finding.commit !== undefined ? {
        resource: `${finding.commit}:${finding.file}:${finding.line}`,
        status: 'fail',
        code: 'exposed-in-history',
        args: { what: KIND_LABEL[finding.kind], file: finding.file, line: finding.line, commit: finding.commit, fix: logCommand(finding.file) },
        evidence: { commit: finding.commit, file: finding.file, line: finding.line, kind: finding.kind, inHistoryOnly: true },
      } : ({
        resource: `${finding.file}:${finding.line}`,
        status: 'fail',
        code: 'exposed',
        args: { what: KIND_LABEL[finding.kind], file: finding.file, fix: logCommand(finding.file) },
        evidence: { file: finding.file, line: finding.line, kind: finding.kind, inBuild: scan.buildDir !== null && finding.file.startsWith(scan.buildDir) },
      }),
    );
    return [...exposed, ...gaps];
  },
});

/** What the scan could not read, most basic first: each makes "nothing found" unproven. */
function coverageGaps(scan: FactValue<typeof exposedSecrets>): Finding[] {
  const gaps: Finding[] = [];
  if (scan.buildDirMissing) {
    gaps.push({ resource: scan.buildDir ?? 'build', status: 'unverified', code: 'build-dir-missing', args: { buildDir: scan.buildDir ?? '', file: scan.buildDir ?? '<file>' }, evidence: { buildDir: scan.buildDir, exists: false } });
  }
  if (scan.unscanned.length > 0) {
    const files = scan.unscanned.map((entry) => `${entry.file} (${entry.reason})`);
    gaps.push({ resource: 'repository', status: 'unverified', code: 'files-unscanned', args: { count: files.length, files: files.slice(0, 5).join(', '), file: scan.unscanned[0]!.file }, evidence: { unscanned: files, filesScanned: scan.filesScanned } });
  }
  if (scan.gitError) {
    const scope = scan.scope ?? '.';
    const fix = `git config --global --add safe.directory "$(cd ${shellQuote(scope)} && pwd)"`;
    gaps.push({ resource: 'repository', status: 'unverified', code: 'git-unreadable', args: { scope, error: scan.gitError, fix }, evidence: { scope, gitError: scan.gitError, source: scan.source } });
  } else if (scan.source === 'git' && !scan.history) {
    gaps.push({ resource: 'repository', status: 'unverified', code: 'history-not-scanned', args: { file: '<file>' }, evidence: { source: scan.source, history: null } });
  }
  if (scan.history?.shallow) {
    gaps.push({ resource: 'repository', status: 'unverified', code: 'shallow-history', args: { file: '<file>', fix: 'git fetch --unshallow' }, evidence: { shallow: true, historyCommits: scan.history.commits } });
  }
  return gaps;
}
