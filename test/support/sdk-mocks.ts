import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll } from 'vitest';

/**
 * For what moto cannot produce (denied calls, throttling storms, several pages where moto
 * gives one): aws-sdk-client-mock on a client class, restored after each test. The endpoint
 * points at port 9 (discard), so a call the mocks do not cover fails fast instead of reaching AWS.
 */
export function useSdkMocks(): { nowhere: { endpoint: string }; mock<C>(client: C): ReturnType<typeof mockClient> } {
  beforeAll(() => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' });
    delete process.env.AWS_PROFILE;
  });
  const mocks: { restore(): void }[] = [];
  afterEach(() => {
    for (const m of mocks.splice(0)) m.restore();
  });
  return {
    nowhere: { endpoint: 'http://127.0.0.1:9' },
    mock<C>(client: C) {
      const m = mockClient(client as never);
      mocks.push(m);
      return m;
    },
  };
}

/** An SDK service error as the SDK would raise it. */
export const sdkError = (name: string, status: number) =>
  Object.assign(new Error(`${name}: simulated`), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
