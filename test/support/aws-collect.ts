import { AwsSession, type AwsService } from '../../src/collectors/aws/session.js';
import { collectors } from '../../src/collectors/index.js';
import { collectFacts } from '../../src/engine/collect.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import type { ConfigInput } from '../../src/config/schema.js';
import type { AnyCheck, FactDefinition, FactOutcome, Status } from '../../src/model.js';
import { factOf } from '../../src/model.js';
import { makeConfig } from './check-tester.js';
import { IAM_PREFIX_OF_CLIENT, iamAction } from './iam-actions.js';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { motoEnv, startMoto, type Moto } from './moto.js';

/** Every IAM action the collectors' SDK clients actually sent in this test process (read-only proof, at run time). */
export const sentActions = new Set<string>();

interface RecordingContext {
  clientName?: string;
  commandName?: string;
}
interface MiddlewareClient {
  middlewareStack: { add(middleware: unknown, options: { step: 'initialize'; name: string }): void };
}

/** Makes the session's clients record each command before it is sent. */
function recordCommands(session: AwsSession): AwsSession {
  const original = session.client.bind(session);
  const recording = new WeakSet<object>();
  session.client = (async (service: AwsService, region?: string) => {
    const client = (await original(service, region)) as unknown as MiddlewareClient;
    if (!recording.has(client)) {
      recording.add(client);
      client.middlewareStack.add(
        (next: (args: unknown) => Promise<unknown>, context: RecordingContext) => (args: unknown) => {
          const prefix = IAM_PREFIX_OF_CLIENT[context.clientName ?? ''] ?? `unknown-client(${context.clientName})`;
          sentActions.add(iamAction(prefix, (context.commandName ?? '').replace(/Command$/, '')));
          return next(args);
        },
        { step: 'initialize', name: 'readinessTestRecorder' },
      );
    }
    return client;
  }) as AwsSession['client'];
  return session;
}

export interface AwsRun {
  outcomes: Map<string, FactOutcome>;
  /** [resource, status, code] of every result of the check, as the engine produced them. */
  results(check: AnyCheck): [string, Status, string][];
}

/**
 * Collects through the real collectors and engine (schema validation, failure mapping),
 * against the given endpoint, then lets checks be evaluated on what came back.
 */
export async function collectAws(
  target: Moto | { endpoint: string },
  facts: FactDefinition[],
  config: Partial<ConfigInput> = {},
  now = new Date(),
): Promise<AwsRun> {
  const full = makeConfig({ ...config, aws: { region: 'us-east-1', endpoint: target.endpoint, ...config.aws } });
  const env = 'port' in target ? motoEnv(target) : { ...process.env };
  const aws = recordCommands(new AwsSession({ config: full.aws, env }));
  try {
    const outcomes = await collectFacts(facts, {
      collectors,
      context: { config: full, now, env, baseDir: process.cwd(), aws },
      collectorTimeoutMs: 20_000,
    });
    return {
      outcomes,
      results(check) {
        const missing = Object.values(check.facts as Record<string, Parameters<typeof factOf>[0]>).map(factOf).filter((f) => !outcomes.has(f.id));
        if (missing.length) throw new Error(`collect ${missing.map((f) => f.id).join(', ')} too`);
        return evaluateCheck(check, outcomes, { config: full, now }).map((r) => [r.resource, r.status, r.code]);
      },
    };
  } finally {
    aws.destroy();
  }
}

/** The SDK reads credentials from process.env: point it at moto's dummy ones. */
export function useMotoCredentials(moto: Moto): void {
  Object.assign(process.env, motoEnv(moto));
}

/** A test file's moto_server: started before its tests with the SDK pointed at it, reset before each, stopped after. */
export interface MotoForFile {
  readonly moto: Moto;
  /** An SDK client on moto (path-style S3), destroyed when the file's tests end. */
  client<T extends { destroy(): void }>(make: new (config: { region: string; endpoint: string; forcePathStyle?: boolean }) => T, region?: string): T;
}

/** `env`: moto_server's own settings (e.g. MOTO_EC2_LOAD_DEFAULT_AMIS). */
export function motoForFile(env: NodeJS.ProcessEnv = {}): MotoForFile {
  let moto: Moto | undefined;
  const clients: { destroy(): void }[] = [];
  beforeAll(async () => {
    moto = await startMoto(env);
    useMotoCredentials(moto);
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await moto?.stop();
  });
  beforeEach(() => moto!.reset());
  return {
    get moto() {
      if (!moto) throw new Error('moto is started in beforeAll: use it inside a test or hook');
      return moto;
    },
    client(make, region = 'us-east-1') {
      const c = new make({ region, endpoint: this.moto.endpoint, forcePathStyle: true });
      clients.push(c);
      return c;
    },
  };
}
