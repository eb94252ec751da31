import type { CcxtExchange, CcxtModule, CcxtVenue } from './ccxt';
import type { SuiteConfig } from './config';
import { pointAtSim } from './point-at-sim';

/** ccxt's exchange with the one method the suite observes (it is called with every level2 message). */
type Observable = CcxtExchange & { handleOrderBook(client: unknown, message: unknown): void };

export interface SimExchange {
  readonly ex: CcxtExchange;
  /** Coinbase: the `sequence_num` of the last level2 message ccxt applied for a product (null before it, and on Binance). */
  lastL2Seq(productId: string): number | null;
}

/** ccxt.pro refuses a plain `ws://` URL until its http agent is loaded (`loadHttpProxyAgent`, once per exchange). */
type NeedsAgent = CcxtExchange & { loadHttpProxyAgent(): Promise<unknown> };

/** ccxt's `apiKey` / `secret` for a venue, from the sim accounts' credentials. */
export function ccxtKeys(venue: CcxtVenue, creds: SuiteConfig['credentials']): { apiKey: string; secret: string } {
  return venue === 'binance' ? { apiKey: creds.binance.apiKey, secret: creds.binance.secretKey } : { apiKey: creds.coinbase.keyName, secret: creds.coinbase.privateKey };
}

/**
 * A ccxt.pro exchange exactly as a user creates it (`new ccxt.pro.<venue>({ apiKey, secret })`, default options), with
 * every URL pointed at the simulator and ccxt's http agent loaded (it needs it for plain `ws://` URLs). The Coinbase
 * one records the `sequence_num` of each level2 message after ccxt's own handler ran (observation only: ccxt books
 * carry no sequence, and the suite compares books at the same venue state).
 */
export async function simExchange(ccxt: CcxtModule, venue: CcxtVenue, hostPort: string, keys: { apiKey: string; secret: string }): Promise<SimExchange> {
  // One connection carries every product ccxt watches: the sequence_num is kept per product the message updated.
  const seqs = new Map<string, number>();
  const Base = ccxt.pro[venue] as unknown as new (config: Record<string, unknown>) => Observable;
  class Observed extends Base {
    override handleOrderBook(client: unknown, message: unknown): void {
      super.handleOrderBook(client, message);
      const m = message as { sequence_num?: unknown; events?: unknown } | null;
      if (typeof m?.sequence_num !== 'number' || !Array.isArray(m.events)) return;
      for (const e of m.events as Array<{ product_id?: unknown }>) if (typeof e?.product_id === 'string') seqs.set(e.product_id, m.sequence_num);
    }
  }
  const ex = venue === 'coinbase' ? new Observed({ ...keys }) : new Base({ ...keys });
  ex.urls.api = pointAtSim(ex.urls.api, hostPort);
  await (ex as unknown as NeedsAgent).loadHttpProxyAgent();
  return { ex, lastL2Seq: (productId) => seqs.get(productId) ?? null };
}
