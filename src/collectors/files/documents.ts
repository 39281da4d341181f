import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { documents } from '../../facts/evidence.js';
import type { FactValue } from '../../model.js';
import { defineCollector, FactError } from '../types.js';
import { configPath } from './paths.js';

type DocumentFact = FactValue<typeof documents>[number];
const run = promisify(execFile);

/** `reviewed:` of a YAML front matter block, as YYYY-MM-DD. */
function frontMatterReviewed(text: string): string | null {
  const block = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  if (!block) return null;
  try {
    const data = parse(block[1]!) as Record<string, unknown> | null;
    const value = data?.reviewed;
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);
  } catch {
    return null;
  }
  return null;
}

/** Date of the last commit touching the file (read-only `git log`); null outside a repository or when uncommitted. */
async function lastCommitDate(path: string, signal: AbortSignal): Promise<string | null> {
  try {
    const { stdout } = await run('git', ['log', '-1', '--format=%cI', '--', basename(path)], { cwd: dirname(path), signal });
    const date = stdout.trim();
    return date ? new Date(date).toISOString().slice(0, 10) : null;
  } catch {
    return null;
  }
}

export const documentsCollector = defineCollector(documents, async (context) => {
  const entries = Object.entries(context.config.documents);
  if (entries.length === 0) throw new FactError('NotConfigured', 'no `documents:` in the config', 'list the compliance documents under `documents:` (incident-response, security-policies, breach-notification, runbook)');
  return Promise.all(
    entries.map(async ([name, path]): Promise<DocumentFact> => {
      const absolute = configPath(context.baseDir, path);
      let text: string;
      try {
        text = await readFile(absolute, 'utf8');
      } catch {
        return { name, path, exists: false, reviewed: null, reviewedSource: null };
      }
      const fromFrontMatter = frontMatterReviewed(text);
      if (fromFrontMatter) return { name, path, exists: true, reviewed: fromFrontMatter, reviewedSource: 'front-matter' };
      const fromGit = await lastCommitDate(absolute, context.signal);
      return { name, path, exists: true, reviewed: fromGit, reviewedSource: fromGit ? 'git' : null };
    }),
  );
});
