import type { CcxtModule, CcxtOrder, CcxtVenue } from '../ccxt';
import type { SimControl } from '../control';
import type { SimExchange } from '../venue-client';

/** Everything a venue's checks share: the ccxt client under test, the simulator's records, what earlier checks placed. */
export interface VenueSession {
  readonly venue: CcxtVenue;
  /** ccxt symbol (`BTC/USDT`) and the simulator's (`BTC-USDT`). */
  readonly symbol: string;
  readonly simSymbol: string;
  readonly ccxt: CcxtModule;
  readonly client: SimExchange;
  readonly control: SimControl;
  /** The sim accounts' keys as ccxt takes them. */
  readonly keys: { apiKey: string; secret: string };
  /** Another ccxt client of this venue (error checks: other keys). */
  newClient(keys: { apiKey: string; secret: string }): Promise<SimExchange>;
  /** Orders placed by earlier checks, by role. */
  readonly placed: Map<'market' | 'ioc' | 'gtc' | 'postOnly' | 'maker' | 'flow', CcxtOrder>;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `f` until it returns a value (not undefined) or `timeoutMs` passes (then undefined). */
export async function eventually<T>(f: () => Promise<T | undefined>, timeoutMs: number, everyMs = 100): Promise<T | undefined> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined || Date.now() >= end) return v;
    await sleep(everyMs);
  }
}
