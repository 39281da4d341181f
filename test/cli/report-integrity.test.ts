import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SNAPSHOT } from '../../src/commands/setup.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { spawnCli } from '../support/cli.js';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'readiness-integrity-'));
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

describe('the demo run from another folder', () => {
  it('records each report\'s sha256 beside it and the snapshot\'s in the report, and holds no path of the machine', async () => {
    const run = await spawnCli(['check', '--demo', '--format', 'json,md,html,sarif,junit,github,terminal', '--out', 'out'], { cwd, env: { SUPABASE_ACCESS_TOKEN: '', SUPABASE_DB_URL: '' } });
    expect(run.code, run.stderr).toBe(1);
    const out = join(cwd, 'out');
    const names = await readdir(out);
    const reports = names.filter((n) => !n.endsWith('.sha256'));
    expect(reports).toHaveLength(7);
    for (const name of reports) {
      // `sha256sum -c <file>.sha256` format: "<hex>  <name>".
      const sidecar = await readFile(join(out, `${name}.sha256`), 'utf8');
      expect(sidecar).toBe(`${sha256(await readFile(join(out, name)))}  ${name}\n`);
    }
    const json = JSON.parse(await readFile(join(out, 'readiness-report.json'), 'utf8')) as { source: { snapshot: string; snapshotSha256: string } };
    expect(json.source.snapshot).toBe('examples/demo/snapshot.json');
    expect(json.source.snapshotSha256).toBe(sha256(await readFile(DEMO_SNAPSHOT)));
    expect(await readFile(join(out, 'readiness-report.md'), 'utf8')).toContain(`snapshot sha256 \`${json.source.snapshotSha256}\``);
    for (const name of names) {
      const text = await readFile(join(out, name), 'utf8');
      for (const path of [cwd, homedir(), PACKAGE_ROOT]) expect(text, `${name} holds ${path}`).not.toContain(path);
    }
  });
});
