import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findConfigFile } from '../../src/config/find.js';
import { runCli } from '../support/cli.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'readiness-find-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('finding readiness.config.yaml like ESLint finds its config', () => {
  it('takes the one in the folder, else the nearest parent', async () => {
    const repo = join(root, 'nearest');
    await mkdir(join(repo, '.git'), { recursive: true });
    await mkdir(join(repo, 'services', 'api', 'src'), { recursive: true });
    await writeFile(join(repo, 'readiness.config.yaml'), 'project: top\n');
    await writeFile(join(repo, 'services', 'readiness.config.yaml'), 'project: services\n');
    expect(findConfigFile(join(repo, 'services', 'api', 'src'))).toBe(join(repo, 'services', 'readiness.config.yaml'));
    expect(findConfigFile(join(repo, 'services'))).toBe(join(repo, 'services', 'readiness.config.yaml'));
    expect(findConfigFile(repo)).toBe(join(repo, 'readiness.config.yaml'));
  });

  it('never looks above the repository root', async () => {
    await writeFile(join(root, 'readiness.config.yaml'), 'project: stray\n');
    const repo = join(root, 'no-config-repo');
    await mkdir(join(repo, '.git'), { recursive: true });
    await mkdir(join(repo, 'web'), { recursive: true });
    expect(findConfigFile(join(repo, 'web'))).toBeUndefined();
    // A folder is not a config file.
    await mkdir(join(repo, 'readiness.config.yaml'));
    expect(findConfigFile(join(repo, 'web'))).toBeUndefined();
  });

  it('resolves paths in the config against its own folder, not the working directory', async () => {
    const repo = join(root, 'relative');
    await mkdir(join(repo, '.git'), { recursive: true });
    await mkdir(join(repo, 'docs'), { recursive: true });
    await mkdir(join(repo, 'web', 'src'), { recursive: true });
    await writeFile(join(repo, 'docs', 'incident-response.md'), '# Incident response\n');
    await writeFile(join(repo, 'readiness.config.yaml'), 'project: rel\ndocuments:\n  incident-response: docs/incident-response.md\n');
    const cwd = process.cwd();
    process.chdir(join(repo, 'web', 'src'));
    try {
      const { code, stdout, stderr } = await runCli(['check', '--only', 'compliance.incident-response', '--format', 'json']);
      expect(stderr).not.toMatch(/not found/);
      expect([0, 1]).toContain(code);
      const report = JSON.parse(stdout) as { project: string; results: { checkId: string; code: string; evidence: Record<string, unknown> }[] };
      expect(report.project).toBe('rel');
      const result = report.results.find((r) => r.checkId === 'compliance.incident-response');
      expect(result?.evidence.exists).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  });
});
