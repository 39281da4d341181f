import { z } from 'zod';
import { placeholdersIn } from './command-review.js';
import { factOf, SECTIONS, SEVERITY_WEIGHT, type AnyCheck, type FactRef } from './model.js';
import { formatEffort, PHASES } from './reporters/shared.js';

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

const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;

export function checkDoc(check: AnyCheck): CheckDoc {
  const { meta } = check;
  const refs = Object.values(check.facts as Record<string, FactRef>);
  const facts = refs.map((ref): FactDoc => {
    const fact = factOf(ref);
    return { id: fact.id, description: fact.description, optional: 'optional' in ref, access: fact.permissions };
  });
  const access = [...new Set(facts.flatMap((f) => f.access))];
  return {
    id: meta.id,
    title: meta.title,
    failureTitle: meta.failureTitle,
    description: meta.description,
    section: meta.section,
    sectionTitle: SECTIONS[meta.section] ?? meta.section,
    severity: meta.severity,
    weight: SEVERITY_WEIGHT[meta.severity],
    scored: meta.scored !== false,
    layer: meta.layer,
    hipaa: meta.hipaa,
    phase: meta.phase,
    phaseTitle: PHASES[meta.phase],
    effort: meta.remediation.effortLabel ?? formatEffort(meta.remediation.effortMinutes),
    options: meta.options ? optionDocs(meta.options) : [],
    facts,
    iamActions: access.filter((a) => IAM_ACTION.test(a)).sort(),
    otherAccess: access.filter((a) => !IAM_ACTION.test(a)),
    attestations: meta.attestations ?? [],
    documents: meta.documents ?? [],
    fix: fixDoc(meta.remediation.text, meta.remediation.command),
  };
}

const TEMPLATE_ARG = /\{\{\s*([\w.-]+)\s*\}\}/g;

function fixDoc(text: string, template: string | undefined): CheckDoc['fix'] {
  if (!template) return { text, filled: [], choices: [] };
  return {
    text,
    // The `{{args}}` are filled per finding; here they are named as what goes there.
    command: template.replace(TEMPLATE_ARG, '<$1>'),
    filled: [...new Set([...template.matchAll(TEMPLATE_ARG)].map((m) => `<${m[1]}>`))],
    choices: placeholdersIn(template.replace(TEMPLATE_ARG, '')),
  };
}

interface JsonSchemaProperty {
  type?: string;
  enum?: unknown[];
  items?: JsonSchemaProperty;
  default?: unknown;
  description?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  exclusiveMaximum?: number;
}

/** Each option of `meta.options` (a zod object whose every key has a default), as the config would set it. */
function optionDocs(options: z.ZodObject): OptionDoc[] {
  const schema = z.toJSONSchema(options, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonSchemaProperty> };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    type: typeOf(property),
    default: JSON.stringify(property.default),
    ...(property.description ? { description: property.description } : {}),
  }));
}

function typeOf(property: JsonSchemaProperty): string {
  if (property.enum) return property.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (property.type === 'array') return `${property.items ? typeOf(property.items) : 'unknown'}[]`;
  const bounds = [
    property.exclusiveMinimum !== undefined ? `> ${property.exclusiveMinimum}` : property.minimum !== undefined ? `≥ ${property.minimum}` : '',
    // Zod writes the largest safe integer as an int's maximum: no bound a reader needs.
    property.exclusiveMaximum !== undefined ? `< ${property.exclusiveMaximum}` : property.maximum !== undefined && property.maximum < Number.MAX_SAFE_INTEGER ? `≤ ${property.maximum}` : '',
  ].filter(Boolean);
  return [property.type ?? 'any', ...bounds].join(' ');
}

const NO_ACCESS = 'no API permission: reads the config and local files, or probes the configured endpoints';

/** The check's page, docs/checks/<id>.md. */
export function checkMarkdown(doc: CheckDoc): string {
  const lines = [
    `# \`${doc.id}\` — ${md(doc.title)}`,
    '',
    '<!-- Generated by `npm run docs` from the check\'s metadata: edit the check, not this file. -->',
    '',
    `Passes when: ${md(doc.title)}.`,
    `Fails as: ${md(doc.failureTitle)}.`,
    '',
    '## Why it matters',
    '',
    doc.description,
    '',
    '| | |',
    '|---|---|',
    `| Section | \`${doc.section}\` — ${doc.sectionTitle} |`,
    `| Severity | ${doc.severity} (weight ${doc.weight})${doc.scored ? '' : ', informational: not scored'} |`,
    `| HIPAA | ${doc.hipaa.length ? doc.hipaa.map((c) => `45 CFR ${c}`).join(', ') : '—'} (${doc.layer} layer) |`,
    `| Phase | ${doc.phase} · ${doc.phaseTitle} |`,
    `| Effort | ${doc.effort} |`,
    '',
    '## Options',
    '',
  ];
  if (doc.options.length) {
    lines.push(`Set under \`checks.${doc.id}\` in readiness.config.yaml (with \`severity\` and \`off\`, which every check takes).`, '');
    lines.push('| option | type | default | meaning |', '|---|---|---|---|');
    for (const o of doc.options) lines.push(`| \`${o.name}\` | ${cell(o.type)} | \`${o.default}\` | ${o.description ? cell(o.description) : '—'} |`);
  } else {
    lines.push(`None of its own; \`checks.${doc.id}\` takes \`severity\` and \`off\`, as every check does.`);
  }
  lines.push('', '## Facts it reads', '', '| fact | what | access |', '|---|---|---|');
  for (const f of doc.facts) {
    const access = f.access.length ? f.access.map((a) => `\`${cell(a)}\``).join(', ') : 'config, local files or probes';
    lines.push(`| \`${f.id}\`${f.optional ? ' (optional)' : ''} | ${cell(f.description)} | ${access} |`);
  }
  if (doc.facts.some((f) => f.optional)) lines.push('', 'An optional fact that cannot be read leaves the check to decide; any other makes the check `unverified`.');
  if (doc.attestations.length) lines.push('', `Reads the config's \`attestations:\` ${doc.attestations.map((a) => `\`${a}\``).join(', ')}.`);
  if (doc.documents.length) lines.push('', `Reads the config's \`documents:\` ${doc.documents.map((d) => `\`${d}\``).join(', ')}.`);
  lines.push('', '## Permissions', '');
  if (doc.iamActions.length) lines.push(`AWS IAM actions (all in [iam/readiness-policy.json](../../iam/readiness-policy.json)): ${doc.iamActions.map((a) => `\`${a}\``).join(', ')}.`);
  if (doc.otherAccess.length) lines.push(`${doc.iamActions.length ? '\n' : ''}Other access: ${doc.otherAccess.map((a) => `\`${a}\``).join(', ')}.`);
  if (!doc.iamActions.length && !doc.otherAccess.length) lines.push(`None: ${NO_ACCESS.replace(/^no API permission: /, '')}.`);
  lines.push('', '## Fix', '', doc.fix.text, '');
  if (doc.fix.command) {
    lines.push('```bash', doc.fix.command, '```', '');
    if (doc.fix.filled.length) lines.push(`Filled in from each finding (names shell-quoted): ${doc.fix.filled.map((a) => `\`${a}\``).join(', ')}.`, '');
    if (doc.fix.choices.length) lines.push(`To replace yourself: ${doc.fix.choices.map((a) => `\`${a}\``).join(', ')} (a choice the tool cannot make: reports mark the command as needing edits).`, '');
  }
  return lines.join('\n');
}

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

/** docs/checks/README.md: every check, linked to its page. */
export function checksIndexMarkdown(docs: readonly CheckDoc[]): string {
  const lines = [
    '# Checks',
    '',
    '<!-- Generated by `npm run docs` from the checks\' metadata: edit the checks, not this file. -->',
    '',
    `${docs.length} checks. Each page says what the check verifies and why, its HIPAA citations, options, the facts it reads, the permissions they need and the fix; \`readiness explain <id>\` prints the same.`,
    '',
    '| id | passes when | severity | section | phase | 45 CFR |',
    '|---|---|---|---|---:|---|',
    ...docs.map((d) => `| [\`${d.id}\`](${d.id}.md) | ${cell(md(d.title))} | ${d.severity}${d.scored ? '' : ' (not scored)'} | ${d.section} | ${d.phase} | ${d.hipaa.join(', ') || '—'} |`),
    '',
  ];
  return lines.join('\n');
}

/** Every page of docs/checks/, by file name. */
export function checkDocFiles(checks: readonly AnyCheck[]): Map<string, string> {
  const docs = checks.map(checkDoc);
  return new Map([['README.md', checksIndexMarkdown(docs)], ...docs.map((d): [string, string] => [`${d.id}.md`, checkMarkdown(d)])]);
}

/** A title in running text: a trailing full stop is the sentence's own. */
function md(text: string): string {
  return text.replace(/\.$/, '');
}

/** Text in a table cell: a pipe or a line break would end it. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
