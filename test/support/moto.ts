import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';

export interface Moto {
  endpoint: string;
  port: number;
  /** Wipes every resource (POST /moto-api/reset), for a clean slate between tests. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** The credentials and endpoint the AWS SDK needs to talk to this moto server. */
export function motoEnv(moto: Moto, region = 'us-east-1'): NodeJS.ProcessEnv {
  return {
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: region,
    AWS_ENDPOINT_URL: moto.endpoint,
  };
}

/** moto_server with the write operations moto lacks (EnableAlarmActions, API Gateway v2 UpdateStage, cluster log exports): see the file. */
const EXTENDED = fileURLToPath(new URL('./moto-extended.py', import.meta.url));

/**
 * The Python that runs moto_server (its script's `#!` line, past pyenv's shim): the one that can import moto,
 * whether moto came from pip, pyenv or Debian.
 */
function motoPython(): string {
  const script = execFileSync('sh', ['-c', 'pyenv which moto_server 2>/dev/null || command -v moto_server'], { encoding: 'utf8' }).trim();
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(readFileSync(script, 'utf8').split('\n', 1)[0]!);
  if (!shebang) return 'python3';
  // `#!/usr/bin/env python3` names the interpreter second.
  return shebang[1]!.endsWith('/env') && shebang[2] ? shebang[2] : shebang[1]!;
}

/**
 * Starts a real `moto_server` on a free loopback port and waits until it answers.
 * One per test file: `const moto = await startMoto()` in beforeAll, `moto.stop()` in afterAll.
 * `extended`: test/support/moto-extended.py instead, for tests that run fix commands moto 5.2 cannot apply.
 */
export async function startMoto(env: NodeJS.ProcessEnv = {}, options: { extended?: boolean } = {}): Promise<Moto> {
  const port = await getPort({ host: '127.0.0.1' });
  const args = ['-H', '127.0.0.1', '-p', String(port)];
  const [command, argv] = options.extended ? [motoPython(), [EXTENDED, ...args]] : ['moto_server', args];
  const child: ChildProcess = spawn(command, argv, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MOTO_ACM_VALIDATION_WAIT: '0', ...env },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${stderr}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not start on port ${port}: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    endpoint,
    port,
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
