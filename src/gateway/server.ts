import type { AddressInfo, Socket } from 'node:net';
import { serve } from '@hono/node-server';
import { createGatewayApp, type GatewayOptions } from './app.js';
import { createUpstreamClient } from './upstream.js';

export interface RunningGateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the gateway on a loopback or public port.
 * @example
 * const gw = await startGateway({ upstream, keys, cache, sink }, { port: 8787 });
 */
export async function startGateway(options: GatewayOptions, listen: { port?: number; hostname?: string } = {}): Promise<RunningGateway> {
  const client = options.client ?? createUpstreamClient();
  const app = createGatewayApp({ ...options, client });
  const hostname = listen.hostname ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: listen.port ?? 0, hostname }, () => resolve(s));
  });
  // Stream events are small writes; without this the kernel may hold one back for an ACK.
  server.on('connection', (socket: Socket) => socket.setNoDelay(true));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        if ('closeAllConnections' in server) server.closeAllConnections();
        client.close();
      }),
  };
}
