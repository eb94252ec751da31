import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { VenueTimeoutError, VenueUnavailableError } from './trading-errors';

export type HttpMethod = 'GET' | 'POST' | 'DELETE' | 'PUT';

export interface TradingHttpRequest {
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
  /** Request changes state (an order): a failure after sending leaves the outcome unknown. */
  readonly mutating: boolean;
  /** Safe label for messages (`POST /api/v3/order`): never the query string (it carries signatures). */
  readonly label: string;
}

export interface TradingHttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** Parsed body; undefined when it is not JSON. */
  readonly json: unknown;
}

/** Socket errors that prove the request never reached the venue. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL']);

function causeCode(err: unknown): string | null {
  let e: unknown = err;
  for (let i = 0; i < 4 && typeof e === 'object' && e !== null; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * Keep-alive connections to the venues for trading requests: one agent per protocol, made on first use, closed with
 * the client that owns it. An order then leaves on a warm socket (no TCP/TLS set-up), with Nagle off (the request's
 * head and body go out at once). Idle sockets are dropped after `idleMs`, below the usual 5 s server keep-alive, so
 * an order is not written to a socket the venue is closing.
 */
export class TradingConnections {
  private http: HttpAgent | undefined;
  private https: HttpsAgent | undefined;

  constructor(private readonly idleMs = 4000) {}

  agentFor(url: URL): HttpAgent | HttpsAgent {
    const o = { keepAlive: true, timeout: this.idleMs, scheduling: 'lifo' as const, noDelay: true };
    if (url.protocol === 'https:') return (this.https ??= new HttpsAgent(o));
    return (this.http ??= new HttpAgent(o));
  }

  /** Closes every socket (in-flight requests fail as network errors). */
  close(): void {
    this.http?.destroy();
    this.https?.destroy();
    this.http = undefined;
    this.https = undefined;
  }
}

class ExchangeTimeout extends Error {
  override readonly name = 'ExchangeTimeout';
}

/** The raw exchange: status, headers and the whole body as text (throws on a network failure or the timeout). */
function exchange(req: TradingHttpRequest, conns: TradingConnections): Promise<{ status: number; headers: Headers; text: string }> {
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch (cause) {
      reject(Object.assign(new Error('invalid URL', { cause }), { code: 'ERR_INVALID_URL' }));
      return;
    }
    const send = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : null;
    if (send === null) {
      reject(Object.assign(new Error(`unsupported protocol ${url.protocol}`), { code: 'ERR_INVALID_URL' }));
      return;
    }
    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    let settled = false;
    const done = (f: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
    };
    const fail = (err: Error): void => done(() => reject(err));
    const r = send(url, { method: req.method, headers, agent: conns.agentFor(url) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', fail);
      res.on('end', () => done(() => resolve({ status: res.statusCode ?? 0, headers: headersOf(res), text: Buffer.concat(chunks).toString('utf8') })));
    });
    const timer = setTimeout(() => {
      // Whatever the socket reports after this, the exchange timed out.
      fail(new ExchangeTimeout(`no complete answer within ${req.timeoutMs} ms`));
      r.destroy();
    }, req.timeoutMs);
    r.on('error', fail);
    // Head and body in one write.
    r.end(req.body);
  });
}

function headersOf(res: IncomingMessage): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(res.headers)) {
    if (v === undefined) continue;
    for (const x of Array.isArray(v) ? v : [v]) h.append(k, x);
  }
  return h;
}

/**
 * One HTTP exchange with a venue, on the caller's keep-alive connections. Resolves with any HTTP status (the caller
 * classifies venue errors). Throws VenueTimeoutError when no complete answer came in time (outcome unknown) and
 * VenueUnavailableError on network failure (`outcomeUnknown` unless the socket error proves nothing was sent).
 */
export async function tradingHttp(venue: string, req: TradingHttpRequest, conns: TradingConnections): Promise<TradingHttpResponse> {
  let answer: { status: number; headers: Headers; text: string };
  try {
    answer = await exchange(req, conns);
  } catch (cause) {
    if (cause instanceof ExchangeTimeout) {
      throw new VenueTimeoutError(`${venue} ${req.label}: no answer within ${req.timeoutMs} ms (outcome unknown)`, {
        venue,
        timeoutMs: req.timeoutMs,
        cause,
      });
    }
    const code = causeCode(cause);
    const sent = code === null || !NOT_SENT.has(code);
    throw new VenueUnavailableError(`${venue} ${req.label}: network failure${code === null ? '' : ` (${code})`}`, {
      venue,
      code,
      cause,
      outcomeUnknown: req.mutating && sent,
    });
  }
  let json: unknown;
  try {
    json = answer.text === '' ? undefined : (JSON.parse(answer.text) as unknown);
  } catch {
    json = undefined;
  }
  return { status: answer.status, headers: answer.headers, text: answer.text, json };
}

/** `Retry-After` (seconds or an HTTP date) in ms; null when absent or unreadable. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | null {
  const v = headers.get('retry-after');
  if (v === null || v.trim() === '') return null;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/** The start of a body for error messages (venue error texts carry no secrets; bounded anyway). */
export function bodySample(text: string, max = 200): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}...` : t;
}
