import { createMetricsRegistry, getOrCreateCounter } from '../metrics/registry';
import { startHttpServer, type HttpServer } from './http-server';

describe('startHttpServer', () => {
  let server: HttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves /healthz, /readyz (following ready()), /metrics with the service label, routes and 404', async () => {
    const registry = createMetricsRegistry({ service: 'detector' });
    getOrCreateCounter(registry, { name: 'things_total', help: 'h' }).inc(3);
    let ready = false;
    server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      registry,
      ready: () => ready,
      routes: {
        '/stats': (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ trades: 1 }));
        },
        '/boom': () => Promise.reject(new Error('handler bug')),
      },
    });
    expect(server.port).toBeGreaterThan(0);
    const get = (path: string): Promise<Response> => fetch(`${server?.url}${path}`);

    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(503);
    ready = true;
    expect((await get('/readyz?verbose=1')).status).toBe(200);

    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    const body = await metrics.text();
    expect(body).toContain('things_total{service="detector"} 3');
    expect(body).toContain('process_cpu_user_seconds_total');

    expect(await (await get('/stats')).json()).toEqual({ trades: 1 });
    expect((await get('/boom')).status).toBe(500);
    expect((await get('/nope')).status).toBe(404);
    expect((await fetch(`${server.url}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('answers 503 when ready() throws, and close() is idempotent and frees the port', async () => {
    server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      registry: createMetricsRegistry({ service: 't', defaultMetrics: false }),
      ready: () => {
        throw new Error('not yet');
      },
    });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    const { url } = server;
    await Promise.all([server.close(), server.close()]);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
