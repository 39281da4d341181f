import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';

export interface LocalServer {
  port: number;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<LocalServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export const startHttps = (options: ServerOptions, handler: RequestListener) => listen(createHttpsServer(options, handler));
export const startHttp = (handler: RequestListener) => listen(createHttpServer(handler));
/** Accepts TCP connections and never says a word: no TLS handshake, no HTTP answer. */
export const startHung = () => listen(createNetServer(() => undefined));
