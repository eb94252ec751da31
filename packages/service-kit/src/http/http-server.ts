import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpServerOptions {
  host: string;
  /** 0 picks a free port (read it back from the result). */
  port: number;
  registry: Registry;
  /** `/readyz` answers 200 when true, 503 otherwise (also 503 if it throws). */
  ready: () => boolean | Promise<boolean>;
  /** Extra routes by exact path (query string ignored), any method, e.g. `{ '/stats': handler }`. */
  routes?: Record<string, RouteHandler>;
  logger?: Logger;
}

export interface HttpServer {
  readonly port: number;
  readonly host: string;
  /** `http://<host>:<port>` (loopback when bound to all interfaces). */
  readonly url: string;
  /** Stops accepting, ends open connections, resolves when closed. Idempotent. */
  close(): Promise<void>;
}

/** Serves `/metrics`, `/healthz` (200 while the process runs), `/readyz` and the given routes. */
export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const routes = new Map(Object.entries(opts.routes ?? {}));
  const builtins = new Map<string, RouteHandler>([
    ['/healthz', (_req, res) => text(res, 200, 'ok\n')],
    [
      '/readyz',
      async (_req, res) => {
        let ready = false;
        try {
          ready = await opts.ready();
        } catch (err) {
          opts.logger?.warn({ err }, 'readiness check failed');
        }
        text(res, ready ? 200 : 503, ready ? 'ready\n' : 'not ready\n');
      },
    ],
    [
      '/metrics',
      async (_req, res) => {
        const body = await opts.registry.metrics();
        res.writeHead(200, { 'content-type': opts.registry.contentType }).end(body);
      },
    ],
  ]);

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const custom = routes.get(path);
    const builtin = builtins.get(path);
    if (custom === undefined && builtin !== undefined && req.method !== 'GET' && req.method !== 'HEAD') {
      text(res, 405, 'method not allowed\n');
      return;
    }
    const handler = custom ?? builtin;
    if (handler === undefined) {
      text(res, 404, 'not found\n');
      return;
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err: unknown) => {
        opts.logger?.error({ err, path }, 'http handler failed');
        if (!res.headersSent) text(res, 500, 'internal error\n');
        else res.destroy();
      });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => opts.logger?.error({ err }, 'http server error'));
  const port = (server.address() as AddressInfo).port;
  const urlHost = opts.host === '0.0.0.0' || opts.host === '::' || opts.host === '' ? '127.0.0.1' : opts.host;
  let closing: Promise<void> | undefined;

  return {
    port,
    host: opts.host,
    url: `http://${urlHost.includes(':') ? `[${urlHost}]` : urlHost}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        // Give in-flight responses a moment, then cut whatever is still open.
        const timer = setTimeout(() => server.closeAllConnections(), 1_000);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
}
