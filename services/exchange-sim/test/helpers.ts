import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import WebSocket from 'ws';
import { OrderBook, checkBookInvariants } from '@arb/domain';
import { startSimProcess, type SimProcess } from '@arb/testkit';
import { startExchangeSim, testSimConfig, type ExchangeSim } from '../src';

export const HOST = '127.0.0.1';

export function startSim(patch: Record<string, unknown> = {}): Promise<ExchangeSim> {
  return startExchangeSim(testSimConfig(patch));
}

export async function getJson<T = unknown>(url: string): Promise<{ status: number; body: T; headers: Headers }> {
  const r = await fetch(url);
  const text = await r.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: r.status, body: body as T, headers: r.headers };
}

export async function postJson<T = unknown>(url: string, payload: unknown): Promise<{ status: number; body: T }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  return { status: r.status, body: (await r.json()) as T };
}

/** A raw ws client that records every text frame with its arrival time. */
export class Client {
  readonly frames: Array<{ t: number; text: string }> = [];
  readonly ws: WebSocket;
  closed: { code: number } | null = null;
  pings = 0;
  private waiters: Array<() => void> = [];

  constructor(url: string, opts: WebSocket.ClientOptions = {}) {
    this.ws = new WebSocket(url, { perMessageDeflate: false, ...opts });
    this.ws.on('message', (data) => {
      this.frames.push({ t: performance.now(), text: data.toString() });
      this.wake();
    });
    this.ws.on('ping', () => {
      this.pings++;
      this.wake();
    });
    this.ws.on('close', (code) => {
      this.closed = { code };
      this.wake();
    });
    this.ws.on('error', () => undefined);
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState === WebSocket.OPEN) return resolve();
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  send(obj: unknown): void {
    this.ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj));
  }

  /** Resolves once `cond()` holds (checked on every frame/ping/close), or rejects after timeoutMs. */
  until(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (!cond()) return false;
        clearTimeout(timer);
        resolve();
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timeout waiting for ${what}`));
      }, timeoutMs);
      const waiter = (): void => {
        if (check()) this.waiters = this.waiters.filter((w) => w !== waiter);
      };
      if (!check()) this.waiters.push(waiter);
    });
  }

  json(): unknown[] {
    return this.frames.map((f) => JSON.parse(f.text) as unknown);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.terminate();
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

/** A local book fed with venue strings; `levels()` gives best-first [price, size] per side. */
export class TestBook {
  readonly book = new OrderBook();

  apply(side: 'bid' | 'ask', levels: ReadonlyArray<readonly [string, string]>): void {
    for (const [p, q] of levels) this.book.set(side, p, q);
  }

  replace(bids: ReadonlyArray<readonly [string, string]>, asks: ReadonlyArray<readonly [string, string]>): void {
    this.book.replace(bids, asks);
  }

  top(n = 100000): { bids: Array<[string, string]>; asks: Array<[string, string]> } {
    const t = this.book.top(n);
    return { bids: t.bids.map(([p, q]) => [p, q]), asks: t.asks.map(([p, q]) => [p, q]) };
  }

  violations(): string[] {
    return checkBookInvariants(this.book.top(100000)).map((v) => v.message);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

const SERVICE_DIR = join(__dirname, '..');

/** Builds the service's dist/ when it is missing or older than src/ (tests of the real process). */
export function ensureBuilt(): string {
  const main = join(SERVICE_DIR, 'dist', 'main.js');
  const newestSrc = Math.max(...readdirSync(join(SERVICE_DIR, 'src'), { recursive: true, encoding: 'utf8' }).map((f) => statSync(join(SERVICE_DIR, 'src', f)).mtimeMs));
  if (!existsSync(main) || statSync(main).mtimeMs < newestSrc) {
    execFileSync(join(SERVICE_DIR, '..', '..', 'node_modules', '.bin', 'tsc'), ['-b', SERVICE_DIR], { stdio: 'inherit' });
  }
  return main;
}

/** The built exchange-sim (rebuilt first when stale) on ephemeral ports with `env` on top. */
export function spawnSim(env: Record<string, string>): Promise<SimProcess> {
  return startSimProcess(env, ensureBuilt());
}
