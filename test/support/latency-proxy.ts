import { createServer, request, type IncomingMessage } from 'node:http';

export interface LatencyProxy {
  endpoint: string;
  /** Requests received so far. */
  readonly requests: number;
  /** Answers sent back so far. */
  readonly answered: number;
  close(): Promise<void>;
}

/**
 * Forwards to `target` after `delayMs`, as the network to a real AWS region would. A request
 * `hang` picks is held and never answered (a resource that does not answer before the run's --timeout).
 */
export async function startLatencyProxy(target: string, delayMs: number, options: { hang?: (req: IncomingMessage) => boolean } = {}): Promise<LatencyProxy> {
  const upstream = new URL(target);
  let requests = 0;
  let answered = 0;
  const server = createServer((req, res) => {
    requests += 1;
    if (options.hang?.(req)) return;
    setTimeout(() => {
      const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.on('end', () => (answered += 1));
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    get answered() {
      return answered;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
