import Big from 'big.js';
import { UDECIMAL_PATTERN, redisKeys } from '@arb/contracts';

/** Available balances, read on the hot path from memory only. */
export interface Inventory {
  /** Available amount of `asset` on `venue` (0 when unknown). */
  available(venue: string, asset: string): Big;
  /** Asks the source to keep (venue, asset) current (a Redis source polls it from now on). */
  track(venue: string, asset: string): void;
}

const ZERO = new Big(0);
const slot = (venue: string, asset: string): string => `${venue}|${asset}`;

/** Balances from config (`inventory.balances.<venue>.<asset>`), fixed for the process' life. */
export class ConfigInventory implements Inventory {
  private readonly amounts = new Map<string, Big>();

  constructor(balances: Record<string, Record<string, string>>) {
    for (const [venue, assets] of Object.entries(balances)) {
      for (const [asset, amount] of Object.entries(assets)) this.amounts.set(slot(venue, asset), new Big(amount));
    }
  }

  available(venue: string, asset: string): Big {
    return this.amounts.get(slot(venue, asset)) ?? ZERO;
  }

  track(): void {}
}

/** The part of an ioredis client the Redis source uses. */
export interface InventoryClient {
  readonly status: string;
  pipeline(): { hget(key: string, field: string): unknown; exec(): Promise<Array<[Error | null, unknown]> | null> };
}

export interface RedisInventoryOptions {
  client: InventoryClient;
  refreshMs: number;
  /** Field of the `arb:inv:<venue>:<asset>` hash holding the free (unreserved) amount. */
  field?: string;
  onError?: (err: unknown) => void;
  /** Called after each refresh attempt (ok = every read succeeded). */
  onRefresh?: (ok: boolean) => void;
}

/**
 * Balances from Redis hashes `redisKeys.inventory(venue, asset)`, field `available` (a decimal string), polled every
 * `refreshMs` in one pipeline and cached. Reads never touch Redis. While Redis is down the last known values stay;
 * a missing key reads as 0, an invalid value as 0 and the refresh reports not ok.
 */
export class RedisInventory implements Inventory {
  private readonly amounts = new Map<string, Big>();
  private readonly tracked = new Map<string, { venue: string; asset: string; key: string }>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly field: string;

  constructor(private readonly opts: RedisInventoryOptions) {
    this.field = opts.field ?? 'available';
  }

  available(venue: string, asset: string): Big {
    return this.amounts.get(slot(venue, asset)) ?? ZERO;
  }

  track(venue: string, asset: string): void {
    const s = slot(venue, asset);
    if (!this.tracked.has(s)) this.tracked.set(s, { venue, asset, key: redisKeys.inventory(venue, asset) });
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.refresh(), this.opts.refreshMs);
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Reads every tracked balance once (one at a time; skipped while Redis is not ready). Never rejects. */
  refresh(): Promise<void> {
    if (this.running !== undefined) return this.running;
    if (this.tracked.size === 0) return Promise.resolve();
    if (this.opts.client.status !== 'ready') {
      this.opts.onRefresh?.(false);
      return Promise.resolve();
    }
    const slots = [...this.tracked];
    const pipeline = this.opts.client.pipeline();
    for (const [, t] of slots) pipeline.hget(t.key, this.field);
    this.running = pipeline
      .exec()
      .then((results) => {
        let ok = results !== null;
        slots.forEach(([s], i) => {
          const r = results?.[i];
          if (r === undefined || r[0] !== null) {
            ok = false;
            return;
          }
          const amount = parseAmount(r[1]);
          if (amount === undefined) ok = false;
          this.amounts.set(s, amount ?? ZERO);
        });
        this.opts.onRefresh?.(ok);
      })
      .catch((err: unknown) => {
        this.opts.onError?.(err);
        this.opts.onRefresh?.(false);
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}

const UDECIMAL = new RegExp(UDECIMAL_PATTERN);

/** A missing field is 0; anything but a plain non-negative decimal string is invalid (undefined). */
function parseAmount(v: unknown): Big | undefined {
  if (v === null) return ZERO;
  return typeof v === 'string' && v.length <= 64 && UDECIMAL.test(v) ? new Big(v) : undefined;
}
