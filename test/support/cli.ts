import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { vi } from 'vitest';
import { main, type MainOptions } from '../../src/cli.js';
import { PACKAGE_ROOT } from '../../src/version.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `main(argv)` in this process, with stdout and stderr captured (and env vars set for the run). */
export async function runCli(argv: string[], env: Record<string, string | undefined> = {}, options: MainOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, { NO_COLOR: '1' });
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    const code = await main(argv, options);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

const BIN = join(PACKAGE_ROOT, 'src', 'bin.ts');
// By path: `--import tsx` would be looked up from the child's cwd, which may be a project outside this tree.
const TSX = pathToFileURL(createRequire(join(PACKAGE_ROOT, 'package.json')).resolve('tsx')).href;

/** A real `node --import tsx src/bin.ts …` process: for exit codes, stderr lines and what gets loaded. */
export function spawnCli(argv: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; nodeArgs?: string[]; killAfterMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, ...(options.nodeArgs ?? []), BIN, ...argv], {
      cwd: options.cwd ?? PACKAGE_ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A process that never ends must not outlive its test.
    const killer = options.killAfterMs ? setTimeout(() => child.kill('SIGKILL'), options.killAfterMs) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** The usage-error contract: exactly one line on stderr, prefixed, and no stack trace. */
export function isOneLineError(stderr: string): boolean {
  const lines = stderr.trimEnd().split('\n');
  return lines.length === 1 && lines[0]!.startsWith('readiness: ') && !/\n\s+at |Error:\s*$|\.ts:\d+:\d+\)/.test(stderr);
}
