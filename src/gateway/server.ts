import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayHandler, type GatewayOptions } from './handler.js';
import type { DeferredQueueStats } from './deferred-queue.js';
import { createUpstreamClient } from './upstream.js';

export interface RunningGateway {
  url: string;
  port: number;
  /** Exchanges recorded so far and any dropped because recording fell behind. */
  recording(): DeferredQueueStats;
  close(): Promise<void>;
}

/**
 * Starts the gateway on a loopback or public port.
 * @example
 * const gw = await startGateway({ upstream, keys, cache, sink }, { port: 8787 });
 */
export async function startGateway(options: GatewayOptions, listen: { port?: number; hostname?: string } = {}): Promise<RunningGateway> {
  const client = options.client ?? createUpstreamClient(options.upstream);
  const handler = createGatewayHandler({ ...options, client });
  // noDelay: stream events are small writes; without it the kernel may hold one back for an ACK.
  const server = createServer({ noDelay: true }, handler);
  const hostname = listen.hostname ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port ?? 0, hostname, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}`,
    port,
    recording: handler.recording,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
        client.close();
      }),
  };
}
