import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { WsConnection, WsConnectionError, type WsConnectionHandlers } from './ws-connection';

const FAST = { initialMs: 20, maxMs: 50, factor: 2, jitter: 0 };

async function wss(options: { autoPong?: boolean } = {}): Promise<{ server: WebSocketServer; url: string; close: () => Promise<void> }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', ...options });
  await new Promise<void>((r) => server.once('listening', () => r()));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    url,
    close: () =>
      new Promise<void>((r) => {
        for (const c of server.clients) c.terminate();
        server.close(() => r());
      }),
  };
}

function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (cond()) resolve();
      else if (Date.now() - start > timeoutMs) reject(new Error('timed out waiting'));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

function recorder(): WsConnectionHandlers & { messages: string[]; opens: number; closes: { willReconnect: boolean }[]; errors: Error[] } {
  const r = {
    messages: [] as string[],
    opens: 0,
    closes: [] as { willReconnect: boolean }[],
    errors: [] as Error[],
    onOpen: () => {
      r.opens++;
    },
    onMessage: (t: string) => {
      r.messages.push(t);
    },
    onClose: (i: { willReconnect: boolean }) => {
      r.closes.push(i);
    },
    onError: (e: Error) => {
      r.errors.push(e);
    },
  };
  return r;
}

describe('WsConnection', () => {
  it('delivers text frames with a local receive time and reconnects after the server closes', async () => {
    const s = await wss();
    let n = 0;
    s.server.on('connection', (ws: WebSocket) => {
      n++;
      ws.send(`hello ${n}`);
      if (n === 1) setTimeout(() => ws.close(1012, 'restart'), 20);
    });
    const rec = recorder();
    let recvTs = 0;
    const conn = new WsConnection({ url: s.url, backoff: FAST }, { ...rec, onMessage: (t, ts) => (rec.messages.push(t), (recvTs = ts)) });
    conn.start();
    await waitFor(() => rec.messages.length >= 2);
    expect(rec.messages).toEqual(['hello 1', 'hello 2']);
    expect(rec.opens).toBe(2);
    expect(conn.opens).toBe(2);
    expect(rec.closes[0]).toMatchObject({ willReconnect: true });
    expect(Math.abs(recvTs - (performance.timeOrigin + performance.now()))).toBeLessThan(5000);
    expect(conn.send('x')).toBe(true);
    await conn.stop();
    expect(rec.closes.at(-1)).toMatchObject({ willReconnect: false });
    expect(conn.send('x')).toBe(false);
    await s.close();
  });

  it('treats a silent connection as dead and reconnects', async () => {
    const s = await wss();
    let connections = 0;
    s.server.on('connection', () => connections++);
    const rec = recorder();
    const conn = new WsConnection({ url: s.url, staleAfterMs: 150, backoff: FAST }, rec);
    conn.start();
    await waitFor(() => connections >= 2);
    expect(rec.errors.some((e) => e instanceof WsConnectionError && /no frame/.test(e.message))).toBe(true);
    await conn.stop();
    await s.close();
  });

  it('answers server pings with the same payload, and server pings count as liveness', async () => {
    const s = await wss();
    const pongs: string[] = [];
    let connections = 0;
    s.server.on('connection', (ws: WebSocket) => {
      connections++;
      ws.on('pong', (data: Buffer) => pongs.push(data.toString()));
      const t = setInterval(() => ws.ping('keep-me'), 40);
      ws.on('close', () => clearInterval(t));
    });
    // staleAfterMs 400 and 1.2 s of pings every 40 ms: margin for a loaded host (2 pongs in 500 ms were seen there).
    const conn = new WsConnection({ url: s.url, staleAfterMs: 400, backoff: FAST }, recorder());
    conn.start();
    await new Promise((r) => setTimeout(r, 1200));
    expect(pongs.length).toBeGreaterThan(3);
    expect(pongs[0]).toBe('keep-me');
    expect(connections).toBe(1); // pings kept it alive past staleAfterMs
    await conn.stop();
    await s.close();
  });

  it('pings the server and drops the connection when no pong comes back', async () => {
    const s = await wss({ autoPong: false });
    let connections = 0;
    let pings = 0;
    s.server.on('connection', (ws: WebSocket) => {
      connections++;
      ws.on('ping', () => pings++);
    });
    const rec = recorder();
    const conn = new WsConnection({ url: s.url, pingIntervalMs: 60, backoff: FAST }, rec);
    conn.start();
    await waitFor(() => connections >= 2);
    expect(pings).toBeGreaterThan(0);
    expect(rec.errors.some((e) => /no pong/.test(e.message))).toBe(true);
    await conn.stop();
    await s.close();
  });

  it('gives up a connection attempt after the connect timeout and keeps retrying', async () => {
    const sockets: Socket[] = [];
    const tcp: Server = createServer((sock) => sockets.push(sock)); // accepts, never answers the upgrade
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const url = `ws://127.0.0.1:${(tcp.address() as AddressInfo).port}`;
    const rec = recorder();
    const conn = new WsConnection({ url, connectTimeoutMs: 100, backoff: FAST }, rec);
    conn.start();
    await waitFor(() => sockets.length >= 2);
    expect(rec.opens).toBe(0);
    expect(rec.closes.length).toBeGreaterThanOrEqual(1);
    await conn.stop();
    for (const so of sockets) so.destroy();
    await new Promise<void>((r) => tcp.close(() => r()));
  });

  it('keeps retrying a refused connection with backoff, and stop() ends it', async () => {
    const rec = recorder();
    const conn = new WsConnection({ url: 'ws://127.0.0.1:1', backoff: FAST }, rec);
    conn.start();
    await waitFor(() => rec.closes.length >= 3);
    await conn.stop();
    const n = rec.closes.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(rec.closes.length).toBe(n);
  });
});
