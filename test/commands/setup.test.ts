import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup } from '../../src/commands/setup.js';
import { ConfigError } from '../../src/errors.js';

describe('waivers must name a check', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'readiness-setup-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuses a misspelt check id with file:line:col and the closest id', async () => {
    const file = join(dir, 'typo.yaml');
    await writeFile(file, 'project: x\nwaivers:\n  - check: aws.s3.encryptoin\n    reason: r\n    approvedBy: me\n    expires: 2030-01-01\n');
    const error = await setup({ config: file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(`${file}:3:12: waivers.0.check: no check "aws.s3.encryptoin" — did you mean "aws.s3.encryption"? (see readiness list)`);
  });

  it('accepts a waiver for a real check', async () => {
    const file = join(dir, 'ok.yaml');
    await writeFile(file, 'project: x\nwaivers:\n  - { check: aws.s3.encryption, reason: r, approvedBy: me, expires: 2030-01-01 }\n');
    // Within gate.maxWaiverDays (365) of the run's clock.
    await expect(setup({ config: file, now: new Date('2029-06-01T00:00:00Z') })).resolves.toMatchObject({ loaded: { config: { waivers: [{ check: 'aws.s3.encryption' }] } } });
  });
});
