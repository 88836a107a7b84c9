import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createTaxiiApp, type TaxiiServerOptions } from './server.js';

export interface RunningTaxiiServer {
  /** e.g. `http://127.0.0.1:40123` */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the TAXII server on a socket (port 0: an ephemeral port).
 * @example const srv = await listenTaxii({ config, store }, { host: '127.0.0.1', port: 0 });
 */
export function listenTaxii(
  options: TaxiiServerOptions,
  at: { host: string; port: number },
): Promise<RunningTaxiiServer> {
  const app = createTaxiiApp(options);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: at.host, port: at.port }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        close: () => new Promise<void>((done, fail) => server.close((err) => (err ? fail(err) : done()))),
      });
    });
    server.once('error', reject);
  });
}
