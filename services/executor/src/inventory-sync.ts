import { redisKeys } from '@arb/contracts';
import { splitSymbol, type VenueTradingClient } from '@arb/venues';
import type { Redis } from 'ioredis';
import type { InventoryLedger } from './coordination';

/**
 * Seeds the inventory ledger from the venues' balances (free) for every asset the symbols need, where the ledger has
 * no entry yet (first start, or Redis lost its data). Existing entries are left alone: trades keep them exact, and
 * overwriting while other executors have trades in flight would double-count. Resolves with the entries written.
 */
export async function seedInventory(
  redis: Redis,
  ledger: InventoryLedger,
  clients: ReadonlyMap<string, VenueTradingClient>,
  symbols: readonly string[],
): Promise<number> {
  const assets = new Set<string>();
  for (const s of symbols) {
    const { base, quote } = splitSymbol(s);
    assets.add(base);
    assets.add(quote);
  }
  let written = 0;
  await Promise.all(
    [...clients].map(async ([venue, client]) => {
      const missing: string[] = [];
      for (const a of assets) if ((await redis.exists(redisKeys.inventory(venue, a))) === 0) missing.push(a);
      if (missing.length === 0) return;
      const balances = new Map((await client.balances()).map((b) => [b.asset, b.free]));
      for (const a of missing) {
        await ledger.set(venue, a, balances.get(a) ?? '0');
        written++;
      }
    }),
  );
  return written;
}
