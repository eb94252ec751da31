import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** One request as the fake venue received it (raw query and body, as needed to check signatures). */
export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly rawQuery: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** An answer: status + JSON body (a string is sent as is), optional headers; `null` = never answer (timeout tests). */
export type FakeAnswer = { status: number; body: unknown; headers?: Record<string, string> } | null;

/** Scripted local venue for trading-client tests: HTTP handler by function, WebSocket server on any path. */
export class TradingFake {
  readonly http: Server;
  readonly wss: WebSocketServer;
  readonly requests: FakeRequest[] = [];
  readonly sockets: WebSocket[] = [];
  readonly wsPaths: string[] = [];
  readonly wsReceived: string[] = [];
  port = 0;
  handler: (r: FakeRequest) => FakeAnswer = () => ({ status: 404, body: { code: -1, msg: 'not found' } });
  onWsMessage: (ws: WebSocket, text: string) => void = () => undefined;
  private readonly hanging: ServerResponse[] = [];

  constructor() {
    this.http = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString('utf8')));
      req.on('end', () => {
        const raw = req.url ?? '/';
        const q = raw.indexOf('?');
        const r: FakeRequest = {
          method: req.method ?? 'GET',
          path: q < 0 ? raw : raw.slice(0, q),
          rawQuery: q < 0 ? '' : raw.slice(q + 1),
          query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)),
          headers: req.headers,
          body,
        };
        this.requests.push(r);
        const a = this.handler(r);
        if (a === null) {
          this.hanging.push(res);
          return;
        }
        res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
        res.end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
      });
    });
    this.wss = new WebSocketServer({ server: this.http });
    this.wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
      this.sockets.push(ws);
      this.wsPaths.push(req.url ?? '');
      ws.on('message', (d: Buffer) => {
        const text = d.toString('utf8');
        this.wsReceived.push(text);
        this.onWsMessage(ws, text);
      });
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((r) => this.http.listen(0, '127.0.0.1', r));
    this.port = (this.http.address() as AddressInfo).port;
    return this;
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Requests to one path (optionally one method). */
  calls(path: string, method?: string): FakeRequest[] {
    return this.requests.filter((r) => r.path === path && (method === undefined || r.method === method));
  }

  get openSockets(): WebSocket[] {
    return this.sockets.filter((s) => s.readyState === s.OPEN);
  }

  broadcast(frame: unknown): void {
    for (const s of this.openSockets) s.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  dropConnections(): void {
    for (const s of this.sockets) s.terminate();
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    for (const s of this.sockets) s.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
    this.http.closeAllConnections();
    await new Promise<void>((r) => this.http.close(() => r()));
  }
}

export function waitFor(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (cond()) resolve();
      else if (Date.now() - start > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

/** The rejection of a promise (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}
