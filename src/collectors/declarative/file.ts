import { createHash } from 'node:crypto';
import { fileFact, type FileState } from '../../declarative/file.js';
import type { CustomCheck } from '../../declarative/schema.js';
import { readFailure, readInputFile } from '../../read-input.js';
import { lastCommitDate } from '../files/documents.js';
import { configPath } from '../files/paths.js';
import { defineCollector, FactError } from '../types.js';

/** Larger than any document a team reviews by hand. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
const MATCH_CHARS = 200;
/** `reviewed: 2026-01-31`, alone on its line or after a comment mark (`# `, `// `, `-- `, `<!-- `), in front matter or not. */
const REVIEWED_LINE = /^[\s#/*;<!-]*reviewed:\s*["']?(\d{4}-\d{2}-\d{2})\b/im;

/**
 * The file's state: whether it exists, what of the entry's patterns it holds, and its review date: a
 * `reviewed: YYYY-MM-DD` line first (a person vouching), else the date of its last commit.
 */
export function createDeclarativeFileCollector(entry: CustomCheck) {
  const spec = entry.file!;
  return defineCollector(fileFact(entry), async (context): Promise<FileState> => {
    const absolute = configPath(context.baseDir, spec.path);
    const absent: FileState = { path: spec.path, exists: false, bytes: null, sha256: null, match: null, forbidden: null, reviewed: null, reviewedSource: null };
    let text: string;
    try {
      text = await readInputFile(absolute, MAX_FILE_BYTES);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return absent;
      throw new FactError('Error', `cannot read ${spec.path} (${readFailure(error)})`);
    }
    const firstMatch = (pattern: string | undefined) => (pattern === undefined ? null : (new RegExp(pattern, 'mu').exec(text)?.[0].slice(0, MATCH_CHARS) ?? null));
    const line = REVIEWED_LINE.exec(text)?.[1] ?? null;
    const fromGit = line ? null : await lastCommitDate(absolute, context.signal);
    return {
      path: spec.path,
      exists: true,
      bytes: Buffer.byteLength(text),
      sha256: createHash('sha256').update(text).digest('hex'),
      match: firstMatch(spec.matches),
      forbidden: firstMatch(spec.notMatches),
      reviewed: line ?? fromGit,
      reviewedSource: line ? 'line' : fromGit ? 'git' : null,
    };
  });
}
