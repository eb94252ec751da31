import type { BenchContext } from '../types';
import { ServiceProcess } from './services';

export interface SimPorts {
  readonly binance: number;
  readonly coinbase: number;
  readonly control: number;
}

/** Best levels of one book as the sim holds it (venue wire strings). */
export interface SimTop {
  readonly bid: string;
  readonly ask: string;
  /** Sizes at the touch. */
  readonly bidSize?: string;
  readonly askSize?: string;
}

/**
 * The real exchange-sim process on ephemeral ports (read from its `listening` line), with its control API.
 * `env` adds `ARB__SIM__...` overrides (rate, jumps, ...); jumps are off unless asked for.
 */
export class SimProcess {
  private constructor(
    readonly proc: ServiceProcess,
    readonly ports: SimPorts,
  ) {}

  static async start(ctx: BenchContext, label: string, env: Readonly<Record<string, string>> = {}): Promise<SimProcess> {
    const proc = await ServiceProcess.start(ctx, {
      name: 'exchange-sim',
      label,
      env: {
        ARB__SIM__CONTROL__PORT: '0',
        ARB__SIM__VENUES__BINANCE__PORT: '0',
        ARB__SIM__VENUES__COINBASE__PORT: '0',
        ARB__SIM__JUMPS__PER_MINUTE: '0',
        ARB__LOG__LEVEL: 'warn',
        ...env,
      },
      readyLine: /"event":"listening"/,
    });
    const line = await proc.child.waitForLine(/"event":"listening"/, 1000, label);
    const p = JSON.parse(line) as Record<string, { port?: unknown } | undefined>;
    const port = (k: string): number => {
      const v = p[k]?.port;
      if (typeof v !== 'number') throw new Error(`${label}: no ${k} port in ${line}`);
      return v;
    };
    return new SimProcess(proc, { binance: port('binance'), coinbase: port('coinbase'), control: port('control') });
  }

  get controlUrl(): string {
    return `http://127.0.0.1:${this.ports.control}`;
  }

  /** Client endpoints of both venues, as the services' `venues.<v>.{restUrl,wsUrl}` config. */
  venueEnv(): Record<string, string> {
    const { binance, coinbase } = this.ports;
    return {
      ARB__VENUES__BINANCE__REST_URL: `http://127.0.0.1:${binance}`,
      ARB__VENUES__BINANCE__WS_URL: `ws://127.0.0.1:${binance}`,
      ARB__VENUES__COINBASE__REST_URL: `http://127.0.0.1:${coinbase}`,
      ARB__VENUES__COINBASE__WS_URL: `ws://127.0.0.1:${coinbase}`,
    };
  }

  async control<T>(path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.controlUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`exchange-sim ${path}: HTTP ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  /** The sim's true best bid/ask now. */
  async top(venue: string, symbol: string): Promise<SimTop> {
    const b = await this.control<{ bids: [string, string][]; asks: [string, string][] }>(`/control/book?venue=${venue}&symbol=${symbol}&depth=1`);
    const bid = b.bids[0]?.[0];
    const ask = b.asks[0]?.[0];
    if (bid === undefined || ask === undefined) throw new Error(`exchange-sim: empty ${venue} ${symbol} book`);
    return { bid, ask, bidSize: b.bids[0]?.[1] ?? '0', askSize: b.asks[0]?.[1] ?? '0' };
  }

  /** Model counters: book changes and level updates made so far. */
  async modelCounters(): Promise<{ changes: number; levelUpdates: number; jumps: number }> {
    const s = await this.control<{ model: { changes: number; levelUpdates: number; jumps: number } }>('/control/stats');
    return s.model;
  }

  stop(): Promise<string> {
    return this.proc.stop();
  }
}
