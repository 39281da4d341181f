import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forward, identify, readBody, send, type Answer } from './fault-proxy.js';

/** What the proxy does to the requests of one action. Bodies are the raw text (JSON or XML, as the protocol has it). */
export interface Rewrite {
  /** The body upstream gets instead of the one the client sent. */
  request?(body: string): string;
  /** The answer the client gets instead of upstream's; `request` is the body as the client sent it. */
  answer?(answer: Answer, request: string): Answer;
  /** Answers in upstream's place (an action upstream does not implement): the request never reaches it. */
  reply?(request: string): Answer;
}

export interface RewritingProxy {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of `upstream` (moto) that plays AWS's part where moto differs: requests of the actions in
 * `rewrites`, named as fault-proxy names them (`kms:GetKeyRotationStatus`, `rds:DescribeDBInstances`: the service
 * from the SigV4 scope, the action from `X-Amz-Target` or `Action=`), get their rewrite; every other goes through untouched.
 */
export async function startRewritingProxy(upstream: string, rewrites: Record<string, Rewrite>): Promise<RewritingProxy> {
  const server = createServer((request, response) => {
    void (async () => {
      const sent = await readBody(request);
      const rewrite = rewrites[identify(request, sent).action] ?? {};
      const body = sent.toString();
      if (rewrite.reply) {
        const { status, headers, body: replied } = rewrite.reply(body);
        return send(response, status, headers, replied);
      }
      const answer = await forward(upstream, request, rewrite.request ? Buffer.from(rewrite.request(body)) : sent);
      const { status, headers, body: answered } = rewrite.answer ? rewrite.answer(answer, body) : answer;
      send(response, status, headers, answered);
    })().catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A JSON-protocol answer; an error (status 400 and up) names its type in `__type` and `x-amzn-errortype`, as AWS does. */
export function jsonAnswer(status: number, document: Record<string, unknown>): Answer {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
  if (status >= 400 && typeof document.__type === 'string') headers['x-amzn-errortype'] = document.__type;
  return { status, headers, body: JSON.stringify(document) };
}
