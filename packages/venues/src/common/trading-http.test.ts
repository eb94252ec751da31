import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isOutcomeUnknown, VenueTimeoutError, VenueUnavailableError } from './trading-errors';
import { TradingConnections, tradingHttp, type TradingHttpRequest } from './trading-http';

describe('tradingHttp', () => {
  let server: Server;
  let base: string;
  const sockets = new Set<Socket>();
  let connections = 0;
  const seen: { method: string; url: string; body: string; length: string | undefined; auth: string | undefined }[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', body, length: req.headers['content-length'], auth: req.headers['x-key'] as string | undefined });
    if (req.url === '/slow') return; // never answers
    if (req.url === '/reset') {
      req.socket.destroy();
      return;
    }
    if (req.url === '/limited') {
      res.writeHead(429, [['retry-after', '3'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
      res.end('{"code":-1003}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'x-used-weight': '7' });
    res.end(req.url === '/text' ? 'not json' : JSON.stringify({ echo: body, path: req.url }));
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    server.on('connection', (s: Socket) => {
      connections++;
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const req = (path: string, o: Partial<TradingHttpRequest> = {}): TradingHttpRequest => ({
    method: 'POST',
    url: `${base}${path}`,
    headers: { 'x-key': 'k1', 'content-type': 'application/json' },
    timeoutMs: 2000,
    mutating: true,
    label: `POST ${path}`,
    ...o,
  });

  it('sends method, headers and body with its length; answers status, headers, text and parsed JSON', async () => {
    const conns = new TradingConnections();
    try {
      const r = await tradingHttp('v', req('/order?x=1', { body: '{"qty":"0.5","note":"é"}' }), conns);
      expect(r.status).toBe(200);
      expect(r.headers.get('x-used-weight')).toBe('7');
      expect(r.json).toEqual({ echo: '{"qty":"0.5","note":"é"}', path: '/order?x=1' });
      const last = seen[seen.length - 1];
      expect(last).toEqual({ method: 'POST', url: '/order?x=1', body: '{"qty":"0.5","note":"é"}', length: String(Buffer.byteLength('{"qty":"0.5","note":"é"}')), auth: 'k1' });
      const t = await tradingHttp('v', req('/text', { method: 'GET' }), conns);
      expect(t.text).toBe('not json');
      expect(t.json).toBeUndefined();
      const l = await tradingHttp('v', req('/limited'), conns);
      expect(l.status).toBe(429);
      expect(l.headers.get('retry-after')).toBe('3');
      expect(l.headers.get('set-cookie')).toBe('a=1, b=2');
    } finally {
      conns.close();
    }
  });

  it('keeps one connection alive across sequential requests, and close() ends it', async () => {
    const conns = new TradingConnections();
    const before = connections;
    for (let i = 0; i < 5; i++) await tradingHttp('v', req('/order', { body: `{"i":${i}}` }), conns);
    expect(connections - before).toBe(1);
    expect(sockets.size).toBeGreaterThanOrEqual(1);
    const open = sockets.size;
    conns.close();
    const deadline = Date.now() + 2000;
    while (sockets.size >= open && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(sockets.size).toBeLessThan(open);
    // Usable again after close (a fresh connection).
    await expect(tradingHttp('v', req('/order'), conns)).resolves.toMatchObject({ status: 200 });
    expect(connections - before).toBe(2);
    conns.close();
  });

  it('a request with no answer in time is a VenueTimeoutError with the outcome unknown', async () => {
    const conns = new TradingConnections();
    try {
      const e = await tradingHttp('v', req('/slow', { timeoutMs: 100 }), conns).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(VenueTimeoutError);
      expect(isOutcomeUnknown(e)).toBe(true);
      expect((e as Error).message).toContain('POST /slow');
    } finally {
      conns.close();
    }
  });

  it('a connection dropped after sending leaves an order unknown, a read unknown-free; a refused one proves nothing was sent', async () => {
    const conns = new TradingConnections();
    try {
      const dropped = await tradingHttp('v', req('/reset'), conns).catch((x: unknown) => x);
      expect(dropped).toBeInstanceOf(VenueUnavailableError);
      expect(isOutcomeUnknown(dropped)).toBe(true);
      const read = await tradingHttp('v', req('/reset', { method: 'GET', mutating: false }), conns).catch((x: unknown) => x);
      expect(read).toBeInstanceOf(VenueUnavailableError);
      expect(isOutcomeUnknown(read)).toBe(false);
      const refused = await tradingHttp('v', req('/order', { url: 'http://127.0.0.1:1/order' }), conns).catch((x: unknown) => x);
      expect(refused).toBeInstanceOf(VenueUnavailableError);
      expect((refused as VenueUnavailableError).code).toBe('ECONNREFUSED');
      expect(isOutcomeUnknown(refused)).toBe(false);
      const bad = await tradingHttp('v', req('/order', { url: 'not a url' }), conns).catch((x: unknown) => x);
      expect(bad).toBeInstanceOf(VenueUnavailableError);
      expect((bad as VenueUnavailableError).code).toBe('ERR_INVALID_URL');
      expect(isOutcomeUnknown(bad)).toBe(false);
    } finally {
      conns.close();
    }
  });
});
