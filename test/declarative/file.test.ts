import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { entry, runDeclared, tempFolder } from './support.js';

let folder: { dir: string; cleanup(): Promise<void> } | undefined;
afterEach(async () => folder?.cleanup());

const config = (...entries: string[]) => `project: test\nattestations:\n  pen-test: { date: 2026-03-01, by: Security, evidence: pentest-2026.pdf }\ncustomChecks:\n${entries.join('')}`;
const file = (body: string) => `file:\n  ${body.trim().split('\n').join('\n  ')}`;

describe('declared file checks: holes first', () => {
  it('a 0-byte file fails a pattern; a missing file fails; a forbidden pattern fails', async () => {
    folder = await tempFolder({ 'empty.md': '', 'draft.md': '# Runbook\n## Escalation\nTODO: write this\n' });
    const run = await runDeclared(
      config(
        entry('custom.empty', file('path: empty.md\nmatches: "## Escalation"'), 'compliance'),
        entry('custom.absent', file('path: nowhere.md'), 'compliance'),
        entry('custom.draft', file('path: draft.md\nmatches: "## Escalation"\nnotMatches: "\\\\bTODO\\\\b"'), 'compliance'),
      ),
      folder.dir,
    );
    expect(run.rows.map(([id, resource, status, code]) => [id, resource, status, code])).toEqual([
      ['custom.empty', 'empty.md', 'fail', 'no-match'],
      ['custom.absent', 'nowhere.md', 'fail', 'missing'],
      ['custom.draft', 'draft.md', 'fail', 'forbidden'],
    ]);
  });

  it('no review line and no commit: the review date is unknown, unverified; a stale one fails', async () => {
    folder = await tempFolder({ 'unreviewed.md': '# Plan\n', 'old.md': '# Plan\n<!-- reviewed: 2025-01-10 -->\n' });
    const run = await runDeclared(config(entry('custom.unreviewed', file('path: unreviewed.md\nreviewedWithinDays: 365'), 'compliance'), entry('custom.old', file('path: old.md\nreviewedWithinDays: 365'), 'compliance')), folder.dir);
    expect(run.rows.map(([, , status, code]) => [status, code])).toEqual([
      ['unverified', 'review-unknown'],
      ['fail', 'review-stale'],
    ]);
  });
});

describe('declared file and attestation checks: the happy path', () => {
  it('a current, matching file passes on its review line; a commit date alone is not a review', async () => {
    folder = await tempFolder({ 'runbook.md': '---\nreviewed: 2026-10-01\n---\n# Runbook\n## Escalation\nPage the on-call.\n', 'policy.md': '# Policy\nAccess is reviewed quarterly.\n' });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: folder!.dir, env: { ...process.env, GIT_COMMITTER_DATE: '2026-11-01T10:00:00Z', GIT_AUTHOR_DATE: '2026-11-01T10:00:00Z' } });
    git('init', '-q');
    git('add', 'policy.md');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.test', 'commit', '-qm', 'policy');
    await writeFile(join(folder.dir, 'notes.txt'), 'unused');
    const run = await runDeclared(config(entry('custom.runbook', file('path: runbook.md\nmatches: "## Escalation"\nreviewedWithinDays: 90'), 'compliance'), entry('custom.policy', file('path: policy.md\nreviewedWithinDays: 90'), 'compliance')), folder.dir);
    // Only the line is a review: the file dated by its last commit alone is unverified, not current.
    expect(run.rows.map(([, , status, code]) => [status, code])).toEqual([
      ['pass', 'met'],
      ['unverified', 'review-unknown'],
    ]);
    expect(run.results.map((r) => r.evidence.reviewedSource)).toEqual(['line', 'git']);
    expect(run.results[1]!.message).toBe('policy.md has no `reviewed: YYYY-MM-DD` line: its review date is unknown (its last commit, 2026-11-01, is not a review)');
  });

  it('an attestation within its maximum age passes, an older one fails, a missing one fails', async () => {
    folder = await tempFolder({ 'pentest-2026.pdf': '%PDF-1.7 penetration test report' });
    const attestation = (name: string, days: number) => `attestation: { name: ${name}, maxAgeDays: ${days} }`;
    const run = await runDeclared(config(entry('custom.pen-test', attestation('pen-test', 365), 'compliance'), entry('custom.pen-test-quarterly', attestation('pen-test', 90), 'compliance'), entry('custom.dr-drill', attestation('dr-drill', 365), 'compliance')), folder.dir);
    expect(run.rows.map(([id, , status, code]) => [id, status, code])).toEqual([
      ['custom.pen-test', 'pass', 'attested'],
      ['custom.pen-test-quarterly', 'fail', 'attestation-stale'],
      ['custom.dr-drill', 'fail', 'attestation-missing'],
    ]);
  });
});
