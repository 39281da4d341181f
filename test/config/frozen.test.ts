import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { DEMO_CONFIG, setup } from '../../src/commands/setup.js';
import { validateAgainstCatalog } from '../../src/config/catalog.js';
import { freezeConfig } from '../../src/config/freeze.js';
import { readFrozenConfig, thawConfig, type FrozenConfig } from '../../src/config/frozen.js';
import { loadConfig, parseConfig, type LoadedConfig } from '../../src/config/load.js';
import { checkOptions } from '../../src/engine/options.js';

// `check --demo` reads the demo's config as the build froze it (scripts/write-demo-config.mjs), through JSON as the
// built command reads it: it must be the config loadConfig gives, with the same positions for every path.
let text: string;
let frozen: FrozenConfig;
let dir: string;
let frozenFile: URL;
beforeAll(async () => {
  text = await readFile(DEMO_CONFIG, 'utf8');
  frozen = JSON.parse(JSON.stringify(await freezeConfig(text, DEMO_CONFIG))) as FrozenConfig;
  dir = await mkdtemp(join(tmpdir(), 'readiness-frozen-'));
  frozenFile = pathToFileURL(join(dir, 'demo-config.json'));
  await writeFile(frozenFile, JSON.stringify(frozen));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const NO_VARIABLES = { SUPABASE_ACCESS_TOKEN: undefined, SUPABASE_DB_URL: '' };

/** Every path the file writes, and paths just beside or below them that it does not. */
function probedPaths(config: FrozenConfig): (string | number)[][] {
  const written = [...Object.keys(config.values), ...Object.keys(config.keys), ...Object.keys(config.items)].map((key) => JSON.parse(key) as (string | number)[]);
  return [...written, ...written.flatMap((path) => [[...path, 'nosuch'], [...path, 0], [...path, 99], [...path.slice(0, -1), 'nosuch']]), ['nosuch', 'deeper'], ['checks', 'aws.s3.versioning']];
}

function expectSameLoaded(actual: LoadedConfig, expected: LoadedConfig): void {
  expect(actual.config).toStrictEqual(expected.config);
  expect({ file: actual.file, hash: actual.hash, unsetVariables: actual.unsetVariables, written: actual.written }).toStrictEqual({
    file: expected.file,
    hash: expected.hash,
    unsetVariables: expected.unsetVariables,
    written: expected.written,
  });
  for (const path of probedPaths(frozen)) {
    expect(actual.locate(path), `locate ${JSON.stringify(path)}`).toStrictEqual(expected.locate(path));
    expect(actual.locateKey(path), `locateKey ${JSON.stringify(path)}`).toStrictEqual(expected.locateKey(path));
    expect(actual.lineOf(path), `lineOf ${JSON.stringify(path)}`).toBe(expected.lineOf(path));
  }
}

describe("the demo's config as the build freezes it", () => {
  it('is the validated config, with the same positions for every path', () => {
    expect(Object.keys(frozen.values).length).toBeGreaterThan(50);
    expectSameLoaded(thawConfig(frozen, DEMO_CONFIG), parseConfig(text, DEMO_CONFIG, {}));
  });

  // The demo's run makes no options schema: it takes each check's options as the build resolved them.
  it("holds each built-in check's options as the config's run would parse them", () => {
    const { config } = parseConfig(text, DEMO_CONFIG, {});
    expect(thawConfig(frozen, DEMO_CONFIG).checkOptions).toStrictEqual(Object.fromEntries(allChecks.map((check) => [check.meta.id, checkOptions(check, config)])));
    expect(frozen.checkOptions['aws.logs.retention']).toStrictEqual({ minRetentionDays: 2192, requireKms: false });
  });

  it('passes the checks against the catalog (its positions are never needed for an error)', () => {
    expect(() => validateAgainstCatalog(thawConfig(frozen, DEMO_CONFIG), allChecks, new Date('2100-01-01T00:00:00Z'))).not.toThrow();
  });

  it('is read for the demo while its variables are unset and its file is the one frozen', async () => {
    const read = await readFrozenConfig(DEMO_CONFIG, NO_VARIABLES, frozenFile);
    expectSameLoaded(read!, await loadConfig(DEMO_CONFIG, NO_VARIABLES));
  });

  it('is not read when a variable it refers to is set (the config would differ)', async () => {
    const env = { ...NO_VARIABLES, SUPABASE_DB_URL: 'postgres://u:p@db.example.com:5432/postgres' };
    expect(await readFrozenConfig(DEMO_CONFIG, env, frozenFile)).toBeUndefined();
    expect((await loadConfig(DEMO_CONFIG, env)).config).not.toStrictEqual(frozen.config);
  });

  it('is not read for a file other than the one frozen, nor when there is no frozen file (a run from source)', async () => {
    const edited = join(dir, 'readiness.config.yaml');
    await writeFile(edited, text.replace('minScore: 90', 'minScore: 95'));
    expect(await readFrozenConfig(edited, NO_VARIABLES, frozenFile)).toBeUndefined();
    expect(await readFrozenConfig(DEMO_CONFIG, NO_VARIABLES, pathToFileURL(join(dir, 'none.json')))).toBeUndefined();
  });

  it('leaves a config named with --config to be loaded and validated, even beside --demo', async () => {
    const invalid = join(dir, 'invalid.yaml');
    await writeFile(invalid, `${text}nosuchkey: 1\n`);
    await expect(setup({ demo: true, config: invalid })).rejects.toThrow(/unknown key "nosuchkey"/);
  });
});
