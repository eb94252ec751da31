import type { OrderFill, OrderState, OrderStatus } from './trading';
import { isFinalStatus } from './trading';
import { dec } from './trading-decimal';

const RANK: Readonly<Record<OrderStatus, number>> = { new: 0, partially_filled: 1, filled: 2, canceled: 2, expired: 2, rejected: 2 };

/** Fee total and asset over fills (fills in another asset than the first are left out of the total). */
export function feeOfFills(fills: readonly OrderFill[], fallbackAsset: string): { fee: string; feeAsset: string } {
  const first = fills.find((f) => f.feeAsset !== '');
  if (first === undefined) return { fee: '0', feeAsset: fallbackAsset };
  return { fee: dec.sum(fills.filter((f) => f.feeAsset === first.feeAsset).map((f) => f.fee)), feeAsset: first.feeAsset };
}

/** Average fill price, null when nothing filled. */
export function avgPriceOf(filledQuote: string, filledQty: string): string | null {
  return dec.isZero(filledQty) ? null : dec.div(filledQuote, filledQty);
}

function unionFills(a: readonly OrderFill[], b: readonly OrderFill[]): OrderFill[] {
  const seen = new Set<string>();
  const out: OrderFill[] = [];
  for (const f of [...a, ...b]) {
    if (f.tradeId === undefined) continue;
    if (seen.has(f.tradeId)) continue;
    seen.add(f.tradeId);
    out.push(f);
  }
  return out;
}

/**
 * Merges two views of one order (REST answer, stream event, cached state) without ever going backwards: the view
 * with more filled quantity wins, then the more advanced status (a final state is never replaced by an open one),
 * then the newer view. Fills with a trade id are united; `feeFromFills` recomputes fee from the united fills.
 */
export function mergeOrderState(prev: OrderState | undefined, next: OrderState, feeFromFills = false): OrderState {
  if (prev === undefined) return next;
  const c = dec.cmp(next.filledQty, prev.filledQty);
  const nextWins = c > 0 || (c === 0 && RANK[next.status] >= RANK[prev.status] && !(isFinalStatus(prev.status) && !isFinalStatus(next.status)));
  const base = nextWins ? next : prev;
  const other = nextWins ? prev : next;
  const keyed = unionFills(base.fills, other.fills);
  const unkeyed = base.fills.filter((f) => f.tradeId === undefined);
  const fills = keyed.length + unkeyed.length >= base.fills.length ? [...keyed, ...unkeyed] : base.fills;
  const merged: OrderState = {
    ...base,
    venueOrderId: base.venueOrderId ?? other.venueOrderId,
    requestedQty: dec.isZero(base.requestedQty) ? other.requestedQty : base.requestedQty,
    fills,
    updatedTs: Math.max(base.updatedTs, other.updatedTs),
  };
  const reason = base.rejectReason ?? other.rejectReason;
  if (reason !== undefined) merged.rejectReason = reason;
  if (feeFromFills && fills.length > 0) {
    const { fee, feeAsset } = feeOfFills(fills, base.feeAsset);
    merged.fee = fee;
    merged.feeAsset = feeAsset;
  }
  return merged;
}

/** Latest known state per clientOrderId, bounded (oldest entries dropped first). */
export class OrderStateCache {
  private readonly map = new Map<string, OrderState>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly feeFromFills = false,
  ) {}

  get(clientOrderId: string): OrderState | undefined {
    return this.map.get(clientOrderId);
  }

  /** Merges `state` into what is known and returns the result. */
  update(state: OrderState): OrderState {
    const merged = mergeOrderState(this.map.get(state.clientOrderId), state, this.feeFromFills);
    this.map.delete(state.clientOrderId);
    this.map.set(state.clientOrderId, merged);
    if (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next();
      if (oldest.done !== true) this.map.delete(oldest.value);
    }
    return merged;
  }

  get size(): number {
    return this.map.size;
  }

  /** States that can still change (not final). */
  openOrders(): OrderState[] {
    return [...this.map.values()].filter((s) => !s.final);
  }
}

/** `BTC-USDT` → `{ base: 'BTC', quote: 'USDT' }`. */
export function splitSymbol(symbol: string): { base: string; quote: string } {
  const i = symbol.indexOf('-');
  return i < 0 ? { base: symbol, quote: '' } : { base: symbol.slice(0, i), quote: symbol.slice(i + 1) };
}
