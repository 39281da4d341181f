import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import incidentCheck from '../../checks/compliance/compliance.incident-response.js';
import { DOCUMENT_TOPICS } from '../../checks/lib/document.js';
import { documentsCollector } from '../../src/collectors/files/documents.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { checkOptions } from '../../src/engine/options.js';
import type { AnyCheck } from '../../src/model.js';
import { renderedMessages } from '../support/check-tester.js';
import { collect, collectContext } from '../probes/support/context.js';

const NOW = new Date('2025-10-11T22:30:00Z');
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'readiness-review-date-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const context = (config: Partial<ConfigInput>) => collectContext(config, { baseDir: root, now: NOW });
const evaluate = (facts: Record<string, unknown>, config: Partial<ConfigInput>, check: AnyCheck = incidentCheck) =>
  check.evaluate(facts as never, { config: context(config).config, now: NOW, options: checkOptions(check, context(config).config) }).map((f) => [f.resource, f.status, f.code]);

/** An incident response plan with every section written out. */
const plan = (frontMatter: string) =>
  `${frontMatter}# Incident response\n${DOCUMENT_TOPICS['incident-response']!.map((t) => `\n## ${t.heading}\n\nWhat we do here, who does it and how it is recorded.\n`).join('')}`;

/** A repository in its own folder; each commit dated (author and committer) as given. */
function repository(name: string) {
  const dir = join(root, name);
  mkdirSync(join(dir, 'docs'), { recursive: true });
  const git = (date: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.test', ...args], { cwd: dir, env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }, stdio: 'ignore' });
  git('2019-03-01T12:00:00Z', 'init', '-q');
  const commit = (date: string, text: string, message: string) => {
    writeFileSync(join(dir, 'docs/incident-response.md'), text);
    git(date, 'add', 'docs/incident-response.md');
    git(date, 'commit', '-q', '-m', message);
  };
  return { git, commit, config: { documents: { 'incident-response': `${name}/docs/incident-response.md` } }, file: join(dir, 'docs/incident-response.md') };
}

describe('compliance documents: the last commit is no review', () => {
  it('a 2019 plan with a typo fixed in 2025 and no `reviewed:` is unverified, not current', async () => {
    const repo = repository('typo');
    const text = plan('---\nreviewer: Jane\n---\n').replace('who does it', 'who dose it');
    repo.commit('2019-03-01T12:00:00Z', text, 'incident response plan');
    repo.commit('2025-09-20T12:00:00Z', text.replace('who dose it', 'who does it'), 'fix typo');
    const fact = await collect(documentsCollector, context(repo.config));
    expect(fact[0]).toMatchObject({ reviewed: '2025-09-20', reviewedSource: 'git', reviewer: 'Jane' });
    expect(evaluate({ documents: fact }, repo.config)).toEqual([['typo/docs/incident-response.md', 'unverified', 'review-date-unknown']]);
    expect(renderedMessages(incidentCheck, { documents: fact }, repo.config)).toEqual([
      'typo/docs/incident-response.md states no review date (`reviewed:` front matter); the last commit (2025-09-20) is not a review: add `reviewed: YYYY-MM-DD`, the day of its last review, to its front matter',
    ]);
  });

  it('a rebase that rewrites the committer date of a 2019 plan does not make it current', async () => {
    const repo = repository('rebase');
    repo.commit('2019-03-01T12:00:00Z', plan('---\nreviewer: Jane\n---\n'), 'incident response plan');
    repo.git('2025-10-01T12:00:00Z', 'commit', '-q', '--amend', '--no-edit', '--no-verify');
    const fact = await collect(documentsCollector, context(repo.config));
    expect(fact[0]).toMatchObject({ reviewed: '2025-10-01', reviewedSource: 'git' });
    expect(evaluate({ documents: fact }, repo.config)).toEqual([['rebase/docs/incident-response.md', 'unverified', 'review-date-unknown']]);
  });

  it('the `reviewed:` front matter still decides: a 2019 review is stale after a 2025 typo fix, a recent one is current', async () => {
    const repo = repository('front-matter');
    const old = plan('---\nreviewed: 2019-03-01\nreviewer: Jane\n---\n');
    repo.commit('2019-03-01T12:00:00Z', old, 'incident response plan');
    repo.commit('2025-09-20T12:00:00Z', old.replace('recorded.', 'recorded'), 'formatter');
    expect(evaluate({ documents: await collect(documentsCollector, context(repo.config)) }, repo.config)).toEqual([['front-matter/docs/incident-response.md', 'fail', 'review-stale']]);
    repo.commit('2025-09-25T12:00:00Z', readFileSync(repo.file, 'utf8').replace('reviewed: 2019-03-01', 'reviewed: 2025-09-25'), 'yearly review');
    expect(evaluate({ documents: await collect(documentsCollector, context(repo.config)) }, repo.config)).toEqual([['front-matter/docs/incident-response.md', 'pass', 'document-current']]);
  });
});
