import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { CHECK_DOCS_DIR } from '../../scripts/readme-checks.js';
import { checkDoc, checkDocFiles, checkMarkdown, checkText } from '../../src/check-doc.js';
import { runExplain } from '../../src/commands/explain.js';
import { defineCheck, defineFact } from '../../src/model.js';
import { spawnCli } from '../support/cli.js';

describe('docs/checks', () => {
  const files = checkDocFiles(allChecks);

  it('is what `npm run docs` writes from the checks today (run it after changing a check)', () => {
    const stale = [...files].filter(([name, text]) => readFileOr(join(CHECK_DOCS_DIR, name)) !== text).map(([name]) => name);
    expect(stale).toEqual([]);
  });

  it('holds a page per check and the index, nothing else', () => {
    expect(readdirSync(CHECK_DOCS_DIR).sort()).toEqual([...files.keys()].sort());
    expect(files.size).toBe(allChecks.length + 1);
    const index = files.get('README.md')!;
    for (const check of allChecks) expect(index).toContain(`[\`${check.meta.id}\`](${check.meta.id}.md)`);
  });

  it('is deterministic: the same checks give the same pages', () => {
    expect(checkDocFiles(allChecks)).toEqual(files);
  });

  it("names every IAM action a check's facts need, each one granted by iam/readiness-policy.json", () => {
    const policy = JSON.parse(readFileSync('iam/readiness-policy.json', 'utf8')) as { Statement: { Action: string[] }[] };
    const granted = new Set(policy.Statement.flatMap((s) => s.Action));
    for (const check of allChecks) {
      const doc = checkDoc(check);
      for (const action of doc.iamActions) expect(granted, `${check.meta.id}: ${action}`).toContain(action);
      for (const action of doc.iamActions) expect(files.get(`${check.meta.id}.md`)).toContain(`\`${action}\``);
    }
  });

  it("gives each option's type, default and meaning, as the config sets it", () => {
    const page = files.get('aws.acm.expiry.md')!;
    expect(page).toContain('Set under `checks.aws.acm.expiry`');
    expect(page).toContain('| `minDaysLeft` | integer ≥ 1 | `14` | A certificate expiring within this many days fails. |');
    expect(files.get('supabase.advisors.security.md')).toContain('| `failOn` | "ERROR" \\| "WARN" \\| "INFO" | `"WARN"` |');
  });

  it('tells the placeholders a finding fills from the choices left to the user', () => {
    const page = files.get('aws.secrets.rotation.md')!;
    expect(page).toContain('aws secretsmanager rotate-secret --secret-id <resource> --rotation-lambda-arn <rotation-function-arn>');
    expect(page).toContain('Filled in from each finding (names shell-quoted): `<resource>`, `<region>`.');
    expect(page).toContain('To replace yourself: `<rotation-function-arn>`');
  });
});

describe('readiness explain renders the same content', () => {
  it.each(allChecks.map((c) => [c.meta.id, c] as const))('%s', async (id, check) => {
    const doc = checkDoc(check);
    const text = await runExplain(id);
    expect(text).toBe(checkText(doc));
    // What the page says, explain says: the facts, the permissions, the options and the fix.
    for (const fact of doc.facts) expect(text).toContain(fact.id);
    for (const access of [...doc.iamActions, ...doc.otherAccess]) expect(text).toContain(access);
    for (const option of doc.options) expect(text).toContain(`${option.name} (${option.type}, default ${option.default})`);
    if (doc.fix.command) expect(text).toContain(`$ ${doc.fix.command}`);
    expect(text).toContain(doc.fix.text);
  });

  it('loads only the check it explains, not the catalog', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'readiness-explain-'));
    try {
      const log = join(dir, 'imports.log');
      const { code, stdout } = await spawnCli(['explain', 'aws.s3.versioning'], { nodeArgs: ['--import', join(import.meta.dirname, '..', 'support', 'record-check-imports.mjs')], env: { READINESS_IMPORT_LOG: log } });
      expect(code).toBe(0);
      expect(stdout).toBe(checkText(checkDoc(allChecks.find((c) => c.meta.id === 'aws.s3.versioning')!)));
      const loaded = readFileSync(log, 'utf8').trim().split('\n');
      expect(loaded.filter((path) => !path.startsWith('checks/lib/'))).toEqual(['checks/aws/aws.s3.versioning.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Before the pages, explain left the options out: a user could not learn a threshold's name or default from it.
  it("shows a check's options with their type and default", async () => {
    expect(await runExplain('aws.logs.retention')).toMatch(/^Options: {5}minRetentionDays \(integer > 0, default 2192\)/m);
    expect(await runExplain('aws.s3.versioning')).toMatch(/^Options: {5}none \(checks\.aws\.s3\.versioning takes severity and off\)$/m);
  });
});

describe('the renderer is a pure function of a check', () => {
  // A plugin's check, defined outside the catalog, renders like a built-in.
  const tagFact = defineFact({ id: 'acme.bucket-tags', description: 'Tags of every bucket', schema: z.array(z.string()), permissions: ['s3:GetBucketTagging'] });
  const pluginCheck = defineCheck({
    meta: {
      id: 'acme.s3.data-class-tag',
      title: 'Every bucket carries a data-class tag',
      failureTitle: 'A bucket lacks its data-class tag',
      description: 'Untagged buckets escape the PHI inventory.',
      section: 'aws',
      severity: 'medium',
      layer: 'operational',
      hipaa: ['164.308(a)(1)(ii)(A)'],
      phase: 5,
      options: z.object({ tag: z.string().default('data-class').describe('The tag key.') }),
      remediation: { text: 'Tag the bucket', command: 'aws s3api put-bucket-tagging --bucket {{resource}} --tagging <tag-set>', effortMinutes: 5 },
      messages: { tagged: '{{resource}} is tagged' },
    },
    facts: { tags: tagFact },
    evaluate: () => [],
  });

  it('renders a check from outside the catalog', () => {
    const page = checkMarkdown(checkDoc(pluginCheck));
    expect(page).toContain('# `acme.s3.data-class-tag` — Every bucket carries a data-class tag');
    expect(page).toContain('| `tag` | string | `"data-class"` | The tag key. |');
    expect(page).toContain('| `acme.bucket-tags` | Tags of every bucket | `s3:GetBucketTagging` |');
    expect(page).toContain('To replace yourself: `<tag-set>`');
    expect(checkText(checkDoc(pluginCheck))).toContain('Options:     tag (string, default "data-class"): The tag key.');
  });
});

function readFileOr(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
