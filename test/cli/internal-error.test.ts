import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../support/cli.js';

// An internal error is the one place no collector cleaned the text first.
vi.mock('../../src/commands/list.js', () => ({
  runList: () => {
    throw new Error(`connect failed for ${process.env.SUPABASE_DB_URL}\n    at somewhere (file.ts:1:1)`);
  },
}));

describe('an internal error', () => {
  it('is one line, exit 2, with the environment secrets masked and no stack', async () => {
    const url = 'postgres://reader:Sup3rS3cretPassw0rd@db.example.com:5432/postgres';
    const run = await runCli(['list'], { SUPABASE_DB_URL: url });
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^readiness: internal error: connect failed for \[redacted\] \(run with --debug for details\)$/m);
    expect(run.stderr).not.toContain('Sup3rS3cretPassw0rd');
  });
});
