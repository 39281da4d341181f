/**
 * `readiness explain <id>` as text, from a check's CheckDoc (src/check-doc.ts renders one from the check). Apart from
 * the check and from zod: `explain` renders a built-in from the metadata the build wrote (src/builtin-metadata.ts).
 */

/**
 * What a check is, for a reader: docs/checks/<id>.md and `readiness explain <id>` render the same facts from
 * the check's own metadata. Pure: a check in, text out (a plugin's check renders like a built-in).
 */
export interface CheckDoc {
  id: string;
  title: string;
  failureTitle: string;
  description: string;
  section: string;
  sectionTitle: string;
  severity: string;
  weight: number;
  scored: boolean;
  layer: string;
  hipaa: readonly string[];
  phase: number;
  phaseTitle: string;
  effort: string;
  options: OptionDoc[];
  facts: FactDoc[];
  /** AWS IAM actions the facts' collectors call (every one is in iam/readiness-policy.json). */
  iamActions: string[];
  /** Other access the facts need: Supabase Management API endpoints, Postgres grants. */
  otherAccess: string[];
  /** The config's `attestations:` and `documents:` names it reads. */
  attestations: readonly string[];
  documents: readonly string[];
  fix: {
    text: string;
    /** The command template, its `{{args}}` written `<arg>`. */
    command?: string;
    /** The `<arg>`s filled from each finding. */
    filled: string[];
    /** The `<placeholders>` the tool cannot fill: a report marks the command as needing edits. */
    choices: string[];
  };
}

export interface OptionDoc {
  name: string;
  type: string;
  default: string;
  description?: string;
}

export interface FactDoc {
  id: string;
  description: string;
  optional: boolean;
  access: readonly string[];
}

export const NO_ACCESS = 'no API permission: reads the config and local files, or probes the configured endpoints';

/** `readiness explain <id>`: the same content as the page, for a terminal. */
export function checkText(doc: CheckDoc): string {
  const options = doc.options.map((o) => `${o.name} (${o.type}, default ${o.default})${o.description ? `: ${o.description}` : ''}`);
  const permissions = [...doc.iamActions, ...doc.otherAccess];
  return [
    `${doc.id} — ${doc.title}`,
    '',
    doc.description,
    '',
    `Section:     ${doc.section} (${doc.sectionTitle})`,
    `Severity:    ${doc.severity}${doc.scored ? '' : ' (informational, not scored)'}`,
    `HIPAA:       ${doc.hipaa.length ? doc.hipaa.map((c) => `45 CFR ${c}`).join(', ') : '—'} (${doc.layer} layer)`,
    `Phase:       ${doc.phase} · ${doc.phaseTitle}`,
    `Options:     ${options.length ? options.join('\n             ') : `none (checks.${doc.id} takes severity and off)`}`,
    `Facts:       ${doc.facts.map((f) => `${f.id}${f.optional ? ' (optional)' : ''}`).join(', ')}`,
    `Permissions: ${permissions.length ? permissions.join(', ') : NO_ACCESS}`,
    ...(doc.attestations.length ? [`Attestations: ${doc.attestations.join(', ')}`] : []),
    ...(doc.documents.length ? [`Documents:   ${doc.documents.join(', ')}`] : []),
    '',
    `Fix:         ${doc.fix.text} (${doc.effort})`,
    ...(doc.fix.command ? [`             $ ${doc.fix.command}`] : []),
    '',
  ].join('\n');
}
