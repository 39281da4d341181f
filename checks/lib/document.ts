import type { FactValue, Finding } from '../../src/model.js';
import type { documents } from '../../src/facts/evidence.js';

type Documents = FactValue<typeof documents>;

const DAY_MS = 86_400_000;

/**
 * The shared rule for a compliance document: listed under `documents:`, present, and
 * reviewed (front matter `reviewed:`, else last commit) within `maxAgeDays` of `now`.
 * Codes: document-current · document-not-listed · document-missing · review-date-unknown · review-stale.
 */
export function evaluateDocument(all: Documents, name: string, now: Date, maxAgeDays = 365): Finding {
  const document = all.find((d) => d.name === name);
  if (!document) return { resource: name, status: 'fail', code: 'document-not-listed', args: { name, path: `docs/compliance/${name}.md` } };
  const args = { name, path: document.path, reviewed: document.reviewed ?? 'unknown', source: document.reviewedSource ?? 'none', maxAgeDays };
  const evidence = { path: document.path, exists: document.exists, reviewed: document.reviewed, reviewedSource: document.reviewedSource };
  if (!document.exists) return { resource: document.path, status: 'fail', code: 'document-missing', args, evidence };
  if (!document.reviewed) return { resource: document.path, status: 'unverified', code: 'review-date-unknown', args, evidence };
  const ageDays = Math.floor((now.getTime() - Date.parse(`${document.reviewed}T00:00:00Z`)) / DAY_MS);
  if (ageDays > maxAgeDays) return { resource: document.path, status: 'fail', code: 'review-stale', args: { ...args, ageDays }, evidence: { ...evidence, ageDays } };
  return { resource: document.path, status: 'pass', code: 'document-current', args: { ...args, ageDays }, evidence: { ...evidence, ageDays } };
}

/** Message templates for the codes above, to spread into a check's `messages`. */
export const DOCUMENT_MESSAGES = {
  'document-current': '{{path}} was reviewed on {{reviewed}} ({{source}}), {{ageDays}} days ago',
  'document-not-listed': 'No `documents.{{name}}` in the config',
  'document-missing': '{{path}} does not exist',
  'review-date-unknown': '{{path}} has no `reviewed:` front matter and no commit: its review date is unknown',
  'review-stale': '{{path}} was last reviewed on {{reviewed}}, {{ageDays}} days ago (at most {{maxAgeDays}})',
} as const;

/** A command that creates the document with its review date, from the finding's `path`. */
export const CREATE_DOCUMENT_COMMAND =
  "mkdir -p \"$(dirname {{path}})\" && test -e {{path}} || printf -- '---\\nreviewed: %s\\n---\\n\\n# {{name}}\\n' \"$(date +%F)\" > {{path}}";
