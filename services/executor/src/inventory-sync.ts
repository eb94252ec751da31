import Big from 'big.js';
import { redisKeys } from '@arb/contracts';
import { splitSymbol, type VenueTradingClient } from '@arb/venues';
import type { Logger } from '@arb/service-kit';
import type { Redis } from 'ioredis';
import { Repeater } from './background';
import type { InventoryLedger } from './coordination';
import type { InflightStore } from './inflight/store';
import type { ExecutorMetrics } from './metrics';
import type { Warn } from './pipeline/context';

/** Every asset the symbols trade (base and quote). */
function assetsOf(symbols: readonly string[]): string[] {
  const assets = new Set<string>();
  for (const s of symbols) {
    const { base, quote } = splitSymbol(s);
    assets.add(base);
    assets.add(quote);
  }
  return [...assets];
}

/** A venue's balance of each asset: what it holds in total, free + locked (an open order's funds are still ours). */
export async function venueTotals(client: VenueTradingClient, assets: readonly string[]): Promise<Map<string, string>> {
  const all = new Map((await client.balances()).map((b) => [b.asset, new Big(b.free).plus(b.locked)]));
  return new Map(assets.map((a) => [a, (all.get(a) ?? new Big(0)).toFixed()]));
}

/**
 * Seeds the inventory ledger from the venues' balances (total: free + locked) for every asset the symbols need, where
 * the ledger has no entry yet (first start, or Redis lost its data). Existing entries are left alone here (trades in
 * flight move them); `reconcileInventory` corrects them when no trade is in flight. Resolves with the entries written.
 */
export async function seedInventory(
  redis: Redis,
  ledger: InventoryLedger,
  clients: ReadonlyMap<string, VenueTradingClient>,
  symbols: readonly string[],
): Promise<number> {
  const assets = assetsOf(symbols);
  let written = 0;
  await Promise.all(
    [...clients].map(async ([venue, client]) => {
      const missing: string[] = [];
      for (const a of assets) if ((await redis.exists(redisKeys.inventory(venue, a))) === 0) missing.push(a);
      if (missing.length === 0) return;
      const totals = await venueTotals(client, missing);
      for (const a of missing) {
        await ledger.set(venue, a, totals.get(a) ?? '0');
        written++;
      }
    }),
  );
  return written;
}

export interface LedgerCorrection {
  venue: string;
  asset: string;
  /** The ledger's balance (available + reserved) before; null when the entry was missing. */
  ledger: string | null;
  /** The venue's total it was set to. */
  venueTotal: string;
}

export type ReconcileOutcome = { kind: 'busy' } | { kind: 'done'; corrections: LedgerCorrection[] };

/**
 * Compares every ledger entry with the venue's total balance and corrects those that differ (a fill no report holds,
 * a settlement lost with Redis' data, a leaked reservation). Exact only when no trade can be moving balances, so it
 * does nothing (`busy`) unless: no executor has a trade record in flight, and, checked atomically with the writes,
 * no semaphore lease was issued since before the venues were asked and none is live (see setTotalsIfQuiet).
 */
export async function reconcileInventory(
  redis: Redis,
  ledger: InventoryLedger,
  store: Pick<InflightStore, 'anyInFlight' | 'semaphoreKeys'>,
  clients: ReadonlyMap<string, VenueTradingClient>,
  symbols: readonly string[],
): Promise<ReconcileOutcome> {
  const keys = store.semaphoreKeys;
  const fence = (await redis.get(keys.fenceKey)) ?? '';
  if (await store.anyInFlight()) return { kind: 'busy' };
  const assets = assetsOf(symbols);
  const perVenue = await Promise.all([...clients].map(async ([venue, client]) => ({ venue, totals: await venueTotals(client, assets) })));
  const totals = perVenue.flatMap(({ venue, totals: t }) => assets.map((asset) => ({ venue, asset, total: t.get(asset) ?? '0' })));
  const prev = await ledger.setTotalsIfQuiet(keys, fence, totals);
  if (prev === null) return { kind: 'busy' };
  const corrections: LedgerCorrection[] = [];
  totals.forEach((t, i) => {
    const before = prev[i] ?? '';
    if (before === '' || !new Big(before).eq(t.total)) corrections.push({ venue: t.venue, asset: t.asset, ledger: before === '' ? null : before, venueTotal: t.total });
  });
  return { kind: 'done', corrections };
}

export interface LedgerReconciliationOptions {
  redis: Redis;
  ledger: InventoryLedger;
  store: Pick<InflightStore, 'anyInFlight' | 'semaphoreKeys'>;
  clients: ReadonlyMap<string, VenueTradingClient>;
  symbols: readonly string[];
  intervalMs: number;
  metrics: Pick<ExecutorMetrics, 'inventoryReconcile' | 'inventoryCorrections'>;
  log: Pick<Logger, 'warn'>;
  warn: Warn;
}

/** Runs reconcileInventory every `intervalMs` (counted by outcome; each corrected entry logged and counted). */
export function ledgerReconciliation(o: LedgerReconciliationOptions): Repeater {
  return new Repeater(
    o.intervalMs,
    async () => {
      const r = await reconcileInventory(o.redis, o.ledger, o.store, o.clients, o.symbols);
      if (r.kind === 'busy') return void o.metrics.inventoryReconcile.labels('busy').inc();
      o.metrics.inventoryReconcile.labels(r.corrections.length > 0 ? 'corrected' : 'checked').inc();
      for (const c of r.corrections) {
        o.metrics.inventoryCorrections.labels(c.venue, c.asset).inc();
        o.log.warn(c, 'inventory ledger differed from the venue balance: set to it');
      }
    },
    (err) => {
      o.metrics.inventoryReconcile.labels('failed').inc();
      o.warn('ledger-check', { err }, 'inventory reconciliation failed');
    },
  );
}
