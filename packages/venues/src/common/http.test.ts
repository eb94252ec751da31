import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getJson, VenueHttpError } from './http';

describe('getJson', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/ok') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"a":"1.50"}');
      } else if (req.url === '/limited') {
        res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' });
        res.end('{"code":-1003,"msg":"Too many requests"}');
      } else if (req.url === '/text') {
        res.writeHead(200);
        res.end('<html>');
      } else if (req.url === '/slow') {
        setTimeout(() => res.end('{}'), 2000).unref();
      } else {
        res.writeHead(500);
        res.end('boom');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('returns parsed JSON', async () => {
    await expect(getJson(`${base}/ok`)).resolves.toEqual({ a: '1.50' });
  });

  it('throws VenueHttpError with status, body and Retry-After', async () => {
    const e = await getJson(`${base}/limited`).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(VenueHttpError);
    const err = e as VenueHttpError;
    expect(err.status).toBe(429);
    expect(err.isRateLimit).toBe(true);
    expect(err.retryAfterSec).toBe(7);
    expect(err.body).toContain('-1003');
    const e500 = (await getJson(`${base}/other`).catch((x: unknown) => x)) as VenueHttpError;
    expect(e500.status).toBe(500);
    expect(e500.isRateLimit).toBe(false);
  });

  it('throws on a non-JSON body, a timeout and a refused connection (status 0)', async () => {
    await expect(getJson(`${base}/text`)).rejects.toMatchObject({ name: 'VenueHttpError', status: 200 });
    await expect(getJson(`${base}/slow`, { timeoutMs: 100 })).rejects.toMatchObject({ name: 'VenueHttpError', status: 0 });
    await expect(getJson('http://127.0.0.1:1/x', { timeoutMs: 1000 })).rejects.toMatchObject({ name: 'VenueHttpError', status: 0 });
  });
});
