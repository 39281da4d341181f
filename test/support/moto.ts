import { spawn, type ChildProcess } from 'node:child_process';
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

/**
 * Starts a real `moto_server` on a free loopback port and waits until it answers.
 * One per test file: `const moto = await startMoto()` in beforeAll, `moto.stop()` in afterAll.
 */
export async function startMoto(env: NodeJS.ProcessEnv = {}): Promise<Moto> {
  const port = await getPort({ host: '127.0.0.1' });
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
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
