import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import type { BuiltinMetadata } from '../../src/builtin-metadata.js';
import { builtinMetadataOf } from '../../src/check-doc.js';
import { runExplain } from '../../src/commands/explain.js';
import { runList } from '../../src/commands/list.js';
import { mayAddChecks } from '../../src/config/find.js';

// What the build writes (scripts/write-builtin-metadata.mjs), through JSON as the built commands read it. Running from
// source there is no such file, so runList/runExplain without it read the checks themselves: both must print the same.
const written: BuiltinMetadata = JSON.parse(JSON.stringify(builtinMetadataOf(allChecks))) as BuiltinMetadata;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readiness-metadata-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the build's metadata of the built-in checks", () => {
  it('holds every built-in, in catalog order', () => {
    expect(written.checks.map((c) => c.meta.id)).toEqual(allChecks.map((c) => c.meta.id));
  });

  it.each(allChecks.map((check) => check.meta.id))('explain %s prints the same from it as from the check', async (id) => {
    expect(await runExplain(id, {}, written)).toBe(await runExplain(id));
  });

  it.each([{}, { json: true }, { section: ['aws', 'info'] }, { json: true, section: ['monitoring'] }])('list %j prints the same from it as from the checks', async (options) => {
    const config = join(dir, 'none.yaml');
    await writeFile(config, 'project: x\n');
    expect(await runList({ ...options, config }, written)).toBe(await runList({ ...options, config }));
  });

  it('leaves a check a config adds to the catalog', async () => {
    await expect(runExplain('acme.nothing', {}, written)).rejects.toThrow(/unknown check "acme\.nothing"/);
  });
});

describe('whether a config may add checks (list and explain load it only then)', () => {
  const config = async (text: string) => {
    const file = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
    await writeFile(file, text);
    return mayAddChecks(file);
  };

  it('no: neither key, or only in a comment line', async () => {
    expect(await config('project: x\naws: { region: us-east-1 }\n')).toBe(false);
    expect(await config('project: x\n# plugins: [readiness-plugin-example]\n  # customChecks:\n')).toBe(false);
    expect(await config('project: x\nnotes: plugins are for later   # customChecks too\n')).toBe(false);
  });

  it('yes: either key, in any form', async () => {
    expect(await config('project: x\nplugins: [readiness-plugin-example]\n')).toBe(true);
    expect(await config('{ project: x, customChecks: [] }\n')).toBe(true);
    expect(await config('project: x\n"plugins": []\n')).toBe(true);
    expect(await config('project: x\n"plugin\\x73": [readiness-plugin-example]\n')).toBe(true);
    expect(await config('project: x\n"custom\\u0043hecks": []\n')).toBe(true);
  });

  it('yes when it cannot tell: the full load then says what is wrong', async () => {
    expect(await config('project: [x\nplugins: []\n')).toBe(true);
    expect(await mayAddChecks(join(dir, 'missing.yaml'))).toBe(true);
  });
});
