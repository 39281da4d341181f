// A readiness plugin as a package: JavaScript (Node strips types only outside node_modules), checks namespaced
// by the plugin's name, and the collector of the one fact its check needs that readiness does not gather.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { defineCheck, defineCollector, defineFact, definePlugin, FactError, z } from 'hipaa-readiness/plugin';

/** Who owns the runbook listed as `documents.runbook`, and whom to escalate to: its front matter. */
export const runbook = defineFact({
  id: 'example.runbook',
  description: 'Owner and escalation contact in the front matter of the runbook (`documents.runbook`)',
  permissions: [],
  schema: z.object({ path: z.string(), exists: z.boolean(), owner: z.string().nullable(), escalation: z.string().nullable() }),
});

/** All I/O is here: a file that cannot be read is a FactError (its check is then unverified), never "no owner". */
export const runbookCollector = defineCollector(runbook, async ({ config, baseDir, signal }) => {
  const path = config.documents.runbook;
  if (!path) throw new FactError('NotConfigured', 'no `documents.runbook` in the config');
  let text;
  try {
    text = await readFile(resolve(baseDir, path), { encoding: 'utf8', signal });
  } catch (error) {
    if (error?.code === 'ENOENT') return { path, exists: false, owner: null, escalation: null };
    throw new FactError('Error', `cannot read ${path} (${error?.code ?? error})`, `make ${path} a readable file`);
  }
  return { path, exists: true, owner: frontMatter(text, 'owner'), escalation: frontMatter(text, 'escalation') };
});

function frontMatter(text, key) {
  const block = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
  const line = block.split(/\r?\n/).find((l) => l.startsWith(`${key}:`));
  const value = line?.slice(key.length + 1).trim();
  return value ? value : null;
}

export const runbookOwner = defineCheck({
  meta: {
    id: 'example.runbook-owner',
    title: 'The runbook names its owner and an escalation contact',
    failureTitle: 'The runbook has no owner or no escalation contact',
    description: 'In an outage that touches PHI, the on-call engineer must know who owns the runbook and whom to escalate to, without searching.',
    section: 'compliance',
    severity: 'medium',
    layer: 'operational',
    hipaa: ['164.308(a)(2)', '164.308(a)(6)(ii)'],
    phase: 5,
    documents: ['runbook'],
    remediation: {
      text: 'Add `owner:` and `escalation:` (a person or rota and how to reach them) to the front matter of the runbook',
      effortMinutes: 15,
    },
    messages: {
      owned: '{{path}} is owned by {{owner}}; escalation: {{escalation}}',
      'runbook-missing': '{{path}} does not exist',
      'no-owner': '{{path}} names no `owner:` in its front matter',
      'no-escalation': '{{path}} names no `escalation:` contact in its front matter',
    },
  },
  facts: { runbook },
  evaluate({ runbook }) {
    const args = { path: runbook.path, owner: runbook.owner ?? 'nobody', escalation: runbook.escalation ?? 'none' };
    const evidence = { path: runbook.path, exists: runbook.exists, owner: runbook.owner, escalation: runbook.escalation };
    const finding = (status, code) => ({ resource: runbook.path, status, code, args, evidence });
    if (!runbook.exists) return [finding('fail', 'runbook-missing')];
    if (!runbook.owner) return [finding('fail', 'no-owner')];
    if (!runbook.escalation) return [finding('fail', 'no-escalation')];
    return [finding('pass', 'owned')];
  },
});

export default definePlugin({ name: 'example', checks: [runbookOwner], collectors: [runbookCollector] });
