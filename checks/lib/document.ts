import type { FactValue, Finding } from '../../src/model.js';
import type { documents } from '../../src/facts/evidence.js';
import { shellQuote } from './shell.js';

type Documents = FactValue<typeof documents>;

const DAY_MS = 86_400_000;
/** A section with fewer words than this (placeholders aside) is a heading without substance. */
export const MIN_SECTION_WORDS = 5;

interface Topic {
  /** The heading the template writes. */
  heading: string;
  /** Headings that cover the topic, in the document's own words. */
  matches: RegExp;
}

/** The sections each kind of document needs: a heading matching each topic, with substance under it. */
export const DOCUMENT_TOPICS: Record<string, readonly Topic[]> = {
  'incident-response': [
    { heading: 'Roles and responsibilities', matches: /role|responsib/i },
    { heading: 'Contacts and escalation', matches: /contact|escalat|call tree|on-?call/i },
    { heading: 'Detection and reporting', matches: /detect|identif/i },
    { heading: 'Containment and recovery', matches: /contain|mitigat|eradicat/i },
    { heading: 'Notification', matches: /notif/i },
  ],
  'breach-notification': [
    { heading: 'Risk assessment of the breach', matches: /assess|risk/i },
    { heading: 'Notice to individuals', matches: /individual|patient|affected/i },
    { heading: 'Notice to HHS', matches: /\bhhs\b|secretary/i },
    { heading: 'Notice to the media', matches: /media|press/i },
    { heading: 'Deadlines', matches: /deadline|timeline|timing|60 days|delay/i },
  ],
  'security-policies': [
    { heading: 'Access control', matches: /access/i },
    { heading: 'Audit controls', matches: /audit|logging/i },
    { heading: 'Encryption and transmission security', matches: /encrypt|transmission/i },
    { heading: 'Workforce security and training', matches: /workforce|training|sanction/i },
    { heading: 'Contingency plan', matches: /contingen|backup|disaster/i },
  ],
  runbook: [
    { heading: 'Deployment', matches: /deploy|release/i },
    { heading: 'Rollback', matches: /roll-? ?back|revert/i },
    { heading: 'Backup and restore', matches: /backup|restore/i },
    { heading: 'On-call and escalation', matches: /on-?call|escalat|contact/i },
    { heading: 'Monitoring and alerts', matches: /monitor|alert/i },
  ],
};

/**
 * The shared rule for a compliance document: listed under `documents:`, present, with a
 * heading for each topic its kind needs and substance under each, a named reviewer, and
 * reviewed (front matter `reviewed:`; the last commit is no review) within `maxAgeDays` of `now`.
 */
export function evaluateDocument(all: Documents, name: string, now: Date, maxAgeDays = 365): Finding {
  const document = all.find((d) => d.name === name);
  const topics = DOCUMENT_TOPICS[name] ?? [];
  const template = { template: templateText(name).replace(/\n/g, '\\n') };
  if (!document) {
    const path = `docs/compliance/${name}.md`;
    return { resource: name, status: 'fail', code: 'document-not-listed', args: { name, path, file: shellQuote(path), ...template } };
  }
  const args = { name, path: document.path, file: shellQuote(document.path), reviewed: document.reviewed ?? 'unknown', source: document.reviewedSource ?? 'none', maxAgeDays, reviewer: document.reviewer ?? 'nobody', ...template };
  const evidence = {
    path: document.path,
    exists: document.exists,
    sha256: document.sha256,
    reviewer: document.reviewer,
    reviewed: document.reviewed,
    reviewedSource: document.reviewedSource,
    headings: document.sections?.map((s) => s.heading) ?? null,
  };
  if (!document.exists) return { resource: document.path, status: 'fail', code: 'document-missing', args, evidence };
  if (!document.sections) return { resource: document.path, status: 'unverified', code: 'content-unread', args, evidence };
  const sections = document.sections;
  const missing = topics.filter((topic) => !sections.some((s) => topic.matches.test(s.heading)));
  if (missing.length > 0) {
    return { resource: document.path, status: 'fail', code: 'sections-missing', args: { ...args, sections: missing.map((t) => t.heading).join(', ') }, evidence: { ...evidence, missingSections: missing.map((t) => t.heading) } };
  }
  const empty = topics.filter((topic) => !sections.some((s) => topic.matches.test(s.heading) && s.words >= MIN_SECTION_WORDS));
  if (empty.length > 0) {
    return { resource: document.path, status: 'fail', code: 'sections-empty', args: { ...args, sections: empty.map((t) => t.heading).join(', '), minWords: MIN_SECTION_WORDS }, evidence: { ...evidence, emptySections: empty.map((t) => t.heading) } };
  }
  if (!document.reviewer) return { resource: document.path, status: 'fail', code: 'no-reviewer', args, evidence };
  // The last commit is no review: a typo fix, a formatter run or a rebase (new committer dates) would make a years-old plan current.
  if (!document.reviewed || document.reviewedSource !== 'front-matter') {
    const date = document.reviewedSource === 'git' && document.reviewed ? document.reviewed : 'none';
    return { resource: document.path, status: 'unverified', code: 'review-date-unknown', args: { ...args, date }, evidence };
  }
  const reviewedAt = Date.parse(`${document.reviewed}T00:00:00Z`);
  // 2024-99-99 and 2025-02-30 are no dates (Date.parse gives NaN, or rolls the 30th of February into March).
  if (Number.isNaN(reviewedAt) || new Date(reviewedAt).toISOString().slice(0, 10) !== document.reviewed) return { resource: document.path, status: 'unverified', code: 'review-date-invalid', args, evidence };
  const ageDays = Math.floor((now.getTime() - reviewedAt) / DAY_MS);
  // A review dated after the run would never go stale: one edit would keep the plan current forever.
  if (ageDays < -1) return { resource: document.path, status: 'fail', code: 'review-date-future', args: { ...args, ageDays }, evidence: { ...evidence, ageDays } };
  if (ageDays > maxAgeDays) return { resource: document.path, status: 'fail', code: 'review-stale', args: { ...args, ageDays }, evidence: { ...evidence, ageDays } };
  return { resource: document.path, status: 'pass', code: 'document-current', args: { ...args, ageDays }, evidence: { ...evidence, ageDays } };
}

/** Message templates for the codes above, to spread into a check's `messages`. */
export const DOCUMENT_MESSAGES = {
  'document-current': '{{path}} covers every required section, was reviewed by {{reviewer}} on {{reviewed}} ({{source}}), {{ageDays}} days ago',
  'document-not-listed': 'No `documents.{{name}}` in the config',
  'document-missing': '{{path}} does not exist',
  'content-unread': '{{path}} is not a text document: its sections cannot be checked (keep it as Markdown, or record it as an attestation)',
  'sections-missing': '{{path}} lacks sections on: {{sections}}',
  'sections-empty': '{{path}} has no substance (at least {{minWords}} distinct words besides TODOs and placeholders such as TBD) under: {{sections}}',
  'no-reviewer': '{{path}} names no reviewer (front matter `reviewer:`)',
  'review-date-unknown': '{{path}} states no review date (`reviewed:` front matter); the last commit ({{date}}) is not a review: add `reviewed: YYYY-MM-DD`, the day of its last review, to its front matter',
  'review-stale': '{{path}} was last reviewed on {{reviewed}}, {{ageDays}} days ago (at most {{maxAgeDays}})',
  'review-date-invalid': '{{path}} gives `reviewed: {{reviewed}}`, which is no calendar date (YYYY-MM-DD): its review date is unknown',
  'review-date-future': '{{path}} says it was reviewed on {{reviewed}}, after this run: a review cannot be dated ahead (write the day it happened)',
} as const;

/** The template of a document kind: front matter to fill in, and a TODO under each required heading. */
function templateText(name: string): string {
  const topics = DOCUMENT_TOPICS[name] ?? [];
  return [
    '---',
    'reviewed: YYYY-MM-DD',
    'reviewer:',
    '---',
    '',
    `# ${name}`,
    ...topics.flatMap((topic) => ['', `## ${topic.heading}`, '', 'TODO: write this section.']),
    '',
  ].join('\n');
}

/**
 * A command that writes the document's template (never over an existing file). The
 * template fails the check until every section is written and a reviewer named.
 */
export const CREATE_DOCUMENT_COMMAND = "mkdir -p \"$(dirname {{file}})\" && { test -e {{file}} || printf -- '{{template}}' > {{file}}; }";
