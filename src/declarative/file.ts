import { z } from '../zod-package.js';
import { defineCheck, defineFact, type AnyCheck, type Finding } from '../model.js';
import { factIdOf, metaOf } from './meta.js';
import type { CustomCheck } from './schema.js';

const DAY_MS = 86_400_000;

export const fileStateSchema = z.object({
  path: z.string(),
  exists: z.boolean(),
  bytes: z.number().nullable(),
  sha256: z.string().nullable(),
  /** The first match of `matches` (bounded); null when none (or not asked). */
  match: z.string().nullable(),
  /** The first match of `notMatches` (bounded); null when none (or not asked). */
  forbidden: z.string().nullable(),
  reviewed: z.string().nullable(),
  reviewedSource: z.enum(['line', 'git']).nullable(),
});
export type FileState = z.output<typeof fileStateSchema>;

export function fileFact(entry: CustomCheck) {
  return defineFact({ id: factIdOf('file', entry.id), description: `State of ${entry.file!.path} (${entry.id})`, permissions: [], schema: fileStateSchema });
}

const MESSAGES = {
  met: '{{resource}} exists{{detail}}',
  missing: '{{resource}} does not exist',
  'no-match': '{{resource}} ({{bytes}} bytes) does not match /{{pattern}}/',
  forbidden: '{{resource}} matches /{{pattern}}/ ("{{found}}")',
  'review-unknown': '{{resource}} has no `reviewed: YYYY-MM-DD` line: its review date is unknown{{commit}}',
  'review-stale': '{{resource}} was last reviewed on {{reviewed}} ({{source}}), {{ageDays}} days ago (at most {{maxDays}})',
};

export function compileFile(entry: CustomCheck): AnyCheck {
  const spec = entry.file!;
  return defineCheck({
    meta: metaOf(entry, `${spec.path} must exist${spec.matches ? ', match a pattern' : ''}${spec.reviewedWithinDays ? ` and have been reviewed within ${spec.reviewedWithinDays} days` : ''}.`, MESSAGES),
    facts: { file: fileFact(entry) },
    evaluate({ file }, { now }): Finding[] {
      const resource = file.path;
      const evidence = { path: file.path, exists: file.exists, bytes: file.bytes, sha256: file.sha256, reviewed: file.reviewed, reviewedSource: file.reviewedSource };
      if (!file.exists) return [{ resource, status: 'fail', code: 'missing', evidence }];
      if (spec.matches !== undefined && file.match === null) return [{ resource, status: 'fail', code: 'no-match', args: { bytes: file.bytes ?? 0, pattern: spec.matches }, evidence }];
      if (spec.notMatches !== undefined && file.forbidden !== null) return [{ resource, status: 'fail', code: 'forbidden', args: { pattern: spec.notMatches, found: file.forbidden }, evidence }];
      let detail = spec.matches !== undefined ? ' and matches its pattern' : '';
      if (spec.reviewedWithinDays !== undefined) {
        // A commit is not a review: a typo fix, a formatter run or a rebase would make a years-old file current.
        if (!file.reviewed || file.reviewedSource !== 'line') {
          const commit = file.reviewedSource === 'git' && file.reviewed ? ` (its last commit, ${file.reviewed}, is not a review)` : '';
          return [{ resource, status: 'unverified', code: 'review-unknown', args: { commit }, evidence }];
        }
        const ageDays = Math.floor((now.getTime() - Date.parse(`${file.reviewed}T00:00:00Z`)) / DAY_MS);
        const args = { reviewed: file.reviewed, source: file.reviewedSource ?? 'unknown', ageDays, maxDays: spec.reviewedWithinDays };
        if (ageDays > spec.reviewedWithinDays) return [{ resource, status: 'fail', code: 'review-stale', args, evidence: { ...evidence, ageDays } }];
        detail += `, reviewed on ${file.reviewed} (${ageDays} days ago)`;
      }
      return [{ resource, status: 'pass', code: 'met', args: { detail }, evidence }];
    },
  });
}
