import type { RuntimeConfig } from '@arb/contracts';
import { assignVariant, DEFAULT_VARIANT, resolveParams, routeVariantKey } from '@arb/service-kit';
import type { DetectorParams } from './params';

/** One named parameter set and its share of the routes (the default set takes what the variants leave). */
export interface VariantEntry {
  readonly name: string;
  readonly share: number;
  readonly params: DetectorParams;
}

interface Slot {
  bucket: number;
  params: DetectorParams;
}

/**
 * Everything an update reads that may change at run time, resolved once per runtime-config change: the default
 * params and one params object per A/B variant. Immutable apart from its route → variant memo.
 *
 * Variant of a route evaluation: `assignVariant(routeVariantKey(symbol, buy, sell, bucket), variants)` with
 * `bucket = floor(now / bucketMs)` (the evaluation time), or the route key alone when `bucketMs` is 0. A route
 * therefore stays on one variant for a whole bucket (suppression and edge persistence keep working) and routes rotate
 * between variants from bucket to bucket (no variant is stuck with the same few routes). The default share is
 * stamped with the default params' `variant` (the file's `detector.variant`, normally `default`).
 */
export class ParamsSet {
  /** Memo per route (symbol → buy → sell), refreshed when the bucket changes. Routes are few. */
  private readonly routes = new Map<string, Map<string, Map<string, Slot>>>();
  private readonly shares: ReadonlyArray<{ readonly name: string; readonly share: number }>;
  private readonly byName: ReadonlyMap<string, DetectorParams>;

  constructor(
    /** Params of the default share (also used where no route is involved: USD conversion, /stats). */
    readonly base: DetectorParams,
    readonly variants: readonly VariantEntry[] = [],
    /** Runtime config revision these params come from (0: file config only / key never written). */
    readonly revision = 0,
    readonly killSwitch = false,
    readonly bucketMs = 0,
  ) {
    this.shares = variants.map((v) => ({ name: v.name, share: v.share }));
    this.byName = new Map(variants.map((v) => [v.name, v.params]));
  }

  /** The params a directed route is evaluated with at `now` (no allocation once the route's bucket is memoized). */
  forRoute(symbol: string, buyVenue: string, sellVenue: string, now: number): DetectorParams {
    if (this.variants.length === 0) return this.base;
    const bucket = this.bucketMs > 0 ? Math.floor(now / this.bucketMs) : 0;
    let bySymbol = this.routes.get(symbol);
    if (bySymbol === undefined) {
      bySymbol = new Map();
      this.routes.set(symbol, bySymbol);
    }
    let byBuy = bySymbol.get(buyVenue);
    if (byBuy === undefined) {
      byBuy = new Map();
      bySymbol.set(buyVenue, byBuy);
    }
    let slot = byBuy.get(sellVenue);
    if (slot === undefined || slot.bucket !== bucket) {
      slot = { bucket, params: this.paramsOf(this.variantOf(symbol, buyVenue, sellVenue, now)) };
      byBuy.set(sellVenue, slot);
    }
    return slot.params;
  }

  /** The variant name `assignVariant` gives the route at `now` (`default` for the default share). */
  variantOf(symbol: string, buyVenue: string, sellVenue: string, now: number): string {
    if (this.shares.length === 0) return DEFAULT_VARIANT;
    const key = this.bucketMs > 0 ? routeVariantKey(symbol, buyVenue, sellVenue, Math.floor(now / this.bucketMs)) : routeVariantKey(symbol, buyVenue, sellVenue);
    return assignVariant(key, this.shares);
  }

  /** Params of a variant by name (`default` or unknown: the default params). */
  paramsOf(name: string): DetectorParams {
    return this.byName.get(name) ?? this.base;
  }

  /** Every params object of the set (default first), e.g. to validate them all before the set goes live. */
  all(): DetectorParams[] {
    return [this.base, ...this.variants.map((v) => v.params)];
  }
}

/**
 * The params set of a runtime config document: file params ← `rc.params` (the default share) and file params ←
 * `rc.params` ← the variant's params for each variant (`resolveParams`), each stamped with `version` and its name.
 */
export function buildParamsSet(file: DetectorParams, rc: RuntimeConfig, opts: { revision: number; version: number; bucketMs: number }): ParamsSet {
  const make = (name: string): DetectorParams => {
    const resolved = resolveParams(file, rc, name);
    return Object.freeze({ ...resolved, version: opts.version, variant: name === DEFAULT_VARIANT ? file.variant : name });
  };
  const variants = rc.variants.map((v) => ({ name: v.name, share: v.share, params: make(v.name) }));
  return new ParamsSet(make(DEFAULT_VARIANT), variants, opts.revision, rc.killSwitch, opts.bucketMs);
}
