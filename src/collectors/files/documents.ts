import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { promisify } from 'node:util';
import { documents } from '../../facts/evidence.js';
import type { FactValue } from '../../model.js';
import { defineCollector, FactError } from '../types.js';
import { yaml } from '../../yaml.js';
import { configPath } from './paths.js';

type DocumentFact = FactValue<typeof documents>[number];
const run = promisify(execFile);
const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---(\r?\n|$)/;

function frontMatter(text: string): Record<string, unknown> {
  const block = FRONT_MATTER.exec(text);
  if (!block) return {};
  try {
    const data = yaml().parse(block[1]!) as unknown;
    return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** `reviewed:` of the front matter, as YYYY-MM-DD. */
function frontMatterReviewed(data: Record<string, unknown>): string | null {
  const value = data.reviewed;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);
  return null;
}

function frontMatterReviewer(data: Record<string, unknown>): string | null {
  const value = data.reviewer ?? data.reviewedBy ?? data['reviewed-by'];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** Words that hold a place for text not written yet: a section of them has no substance. */
const PLACEHOLDER_WORD = /^(tbd|tbc|tba|todo|fixme|xxx+|lorem|ipsum|placeholder|n\/a|\.{3,}|…)$/i;

/**
 * Markdown headings (outside code fences) and the words under each: distinct words, `TODO` lines, placeholder words
 * (TBD, lorem ipsum, <fill in>) left out, so "TBD TBD TBD TBD TBD" is no section of five words.
 */
export function documentSections(text: string): { heading: string; words: number }[] {
  const sections: { heading: string; words: Set<string> }[] = [];
  let fenced = false;
  for (const line of text.replace(FRONT_MATTER, '').split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) sections.push({ heading: heading[1]!, words: new Set() });
    else if (sections.length > 0 && !/\bTODO\b/.test(line)) {
      const words = sections[sections.length - 1]!.words;
      // A link keeps its text; `<fill in>` and `[Company name]` are placeholders.
      const text = line.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]*>|\[[^\]]*\]/g, ' ');
      for (const word of text.split(/\s+/)) {
        const bare = word.replace(/^[^\w…]+|[^\w…]+$/g, '').toLowerCase();
        if (/\w/.test(bare) && !PLACEHOLDER_WORD.test(bare)) words.add(bare);
      }
    }
  }
  return sections.map(({ heading, words }) => ({ heading, words: words.size }));
}

/** Date of the last commit touching the file (read-only `git log`); null outside a repository or when uncommitted. */
export async function lastCommitDate(path: string, signal: AbortSignal): Promise<string | null> {
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
      let bytes: Buffer;
      try {
        bytes = await readFile(absolute);
      } catch {
        return { name, path, exists: false, reviewed: null, reviewedSource: null, reviewer: null, sha256: null, sections: null };
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const text = bytes.includes(0) ? null : bytes.toString('utf8');
      const data = text === null ? {} : frontMatter(text);
      const content = { reviewer: frontMatterReviewer(data), sha256, sections: text === null ? null : documentSections(text) };
      const fromFrontMatter = frontMatterReviewed(data);
      if (fromFrontMatter) return { name, path, exists: true, reviewed: fromFrontMatter, reviewedSource: 'front-matter', ...content };
      const fromGit = await lastCommitDate(absolute, context.signal);
      return { name, path, exists: true, reviewed: fromGit, reviewedSource: fromGit ? 'git' : null, ...content };
    }),
  );
});
