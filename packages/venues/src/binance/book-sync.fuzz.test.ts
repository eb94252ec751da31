/**
 * Property suite for BinanceBookSync fed random event sequences:
 * - wild: random diffs / snapshots / tickers / resets with random ids (duplicates, gaps, overlaps, out of order) and
 *   levels that often cross; it never throws, and whenever it reports the book as synced the published top and the
 *   whole book pass `checkBookInvariants`;
 * - faithful: a simulated venue whose book is always sound, its diffs delivered with drops, duplicates, swaps, stale
 *   snapshots and tickers; whenever the sync says synced, its book IS the venue's book at `lastUpdateId`, and a sound
 *   venue never causes a `crossed` or `mismatch`.
 */
import { checkBookInvariants, compareDecimal, isZeroDecimal, type PriceLevel } from '@arb/domain';
import fc from 'fast-check';
import { fuzz, TIMEOUT } from '../../test/fuzz-kit';
import { BinanceBookSync, needsSnapshot, type BinanceSyncResult } from './book-sync';
import type { BinanceBookTickerEvent, BinanceDepthEvent } from './parse';

const RESULTS: ReadonlySet<BinanceSyncResult> = new Set(['buffered', 'need-snapshot', 'applied', 'unchanged', 'ignored', 'gap', 'crossed', 'mismatch']);
const TOP = 5;
const ALL = 1_000_000;

/** Prices on a small grid, each value in several spellings (`7`, `7.0`, `7.50`): levels collide, books cross. */
const price = (lo: number, hi: number): fc.Arbitrary<string> => fc.tuple(fc.integer({ min: lo, max: hi }), fc.constantFrom('', '.0', '.00', '.5', '.50')).map(([v, s]) => `${v}${s}`);
const size = fc.constantFrom('0', '0.0', '0.000', '1', '1.0', '2.5', '10', '0.001');
const levels = (lo: number, hi: number): fc.Arbitrary<PriceLevel[]> => fc.array(fc.tuple(price(lo, hi), size), { maxLength: 6 });

type WildOp =
  | { t: 'depth'; U: number; n: number; bids: PriceLevel[]; asks: PriceLevel[] }
  | { t: 'snap'; id: number; bids: PriceLevel[]; asks: PriceLevel[] }
  | { t: 'ticker'; id: number; bid: PriceLevel; ask: PriceLevel }
  | { t: 'reset' }
  | { t: 'full' };
const id = fc.integer({ min: 0, max: 40 });
const positive = (l: PriceLevel): PriceLevel => [l[0], isZeroDecimal(l[1]) ? '1' : l[1]];
const wildOp: fc.Arbitrary<WildOp> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('depth' as const), U: id, n: fc.integer({ min: 0, max: 3 }), bids: levels(1, 20), asks: levels(1, 20) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('snap' as const), id, bids: levels(1, 20), asks: levels(1, 20) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('ticker' as const), id, bid: fc.tuple(price(1, 20), size).map(positive), ask: fc.tuple(price(1, 20), size).map(positive) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('reset' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('full' as const) }) },
);

const depth = (firstId: number, lastId: number, bids: readonly PriceLevel[], asks: readonly PriceLevel[]): BinanceDepthEvent => ({
  kind: 'depth',
  venueSymbol: 'BTCUSDT',
  firstId,
  lastId,
  eventTs: 1_700_000_000_000 + lastId,
  bids,
  asks,
});
const ticker = (updateId: number, bid: PriceLevel, ask: PriceLevel): BinanceBookTickerEvent => ({ kind: 'bookTicker', venueSymbol: 'BTCUSDT', updateId, bid, ask });

describe('BinanceBookSync (fuzz)', () => {
  it('random event sequences never throw; a synced book always passes checkBookInvariants', () => {
    let checked = 0;
    fuzz(
      fc.property(fc.array(wildOp, { maxLength: 60 }), fc.constantFrom(2, 5, 10_000), (ops, maxBuffered) => {
        const sync = new BinanceBookSync(maxBuffered);
        for (const op of ops) {
          let r: BinanceSyncResult | undefined;
          if (op.t === 'depth') r = sync.onDepth(depth(op.U, op.U + op.n, op.bids, op.asks));
          else if (op.t === 'snap') r = sync.onSnapshot({ lastUpdateId: op.id, bids: op.bids, asks: op.asks });
          else if (op.t === 'ticker') r = sync.onBookTicker(ticker(op.id, op.bid, op.ask));
          else if (op.t === 'reset') sync.reset();
          if (r !== undefined) {
            expect(RESULTS.has(r)).toBe(true);
            if (needsSnapshot(r)) expect(sync.synced).toBe(false);
          }
          expect(sync.bufferedCount).toBeLessThanOrEqual(maxBuffered);
          if (!sync.synced) continue;
          checked++;
          expect(checkBookInvariants(sync.book.top(TOP))).toEqual([]);
          if (op.t === 'full') expect(checkBookInvariants(sync.book.top(ALL))).toEqual([]);
        }
        if (sync.synced) expect(checkBookInvariants(sync.book.top(ALL))).toEqual([]);
      }),
    );
    expect(checked).toBeGreaterThan(0); // the sequences do reach synced books
  }, TIMEOUT);

  // ---- faithful venue ----

  interface Change {
    readonly side: 'bid' | 'ask';
    readonly level: PriceLevel;
  }
  /** One venue event: update ids advance by `span`; bids stay in 1..10.x and asks in 11..20.x, so it never crosses. */
  const venueEvent = fc.record({
    span: fc.integer({ min: 1, max: 3 }),
    changes: fc.array(fc.oneof(fc.record({ side: fc.constant('bid' as const), level: fc.tuple(price(1, 10), size) }), fc.record({ side: fc.constant('ask' as const), level: fc.tuple(price(11, 20), size) })), { minLength: 1, maxLength: 5 }),
  });
  type Delivery = { t: 'next' } | { t: 'skip' } | { t: 'swap' } | { t: 'dup'; back: number } | { t: 'snap'; lag: number } | { t: 'ticker'; lag: number } | { t: 'reset' };
  const delivery: fc.Arbitrary<Delivery> = fc.oneof(
    { weight: 12, arbitrary: fc.constant({ t: 'next' as const }) },
    { weight: 1, arbitrary: fc.constant({ t: 'skip' as const }) },
    { weight: 1, arbitrary: fc.constant({ t: 'swap' as const }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('dup' as const), back: fc.integer({ min: 1, max: 5 }) }) },
    { weight: 3, arbitrary: fc.record({ t: fc.constant('snap' as const), lag: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 4 })) }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('ticker' as const), lag: fc.integer({ min: 0, max: 3 }) }) },
    { weight: 1, arbitrary: fc.constant({ t: 'reset' as const }) },
  );

  /** The venue's book: price (canonical) → level, per side; `top` sorts exactly. */
  class Truth {
    readonly bids = new Map<string, PriceLevel>();
    readonly asks = new Map<string, PriceLevel>();
    apply(c: Change): void {
      const m = c.side === 'bid' ? this.bids : this.asks;
      const key = [...m.keys()].find((k) => compareDecimal(k, c.level[0]) === 0) ?? c.level[0];
      m.delete(key);
      if (!isZeroDecimal(c.level[1])) m.set(c.level[0], c.level);
    }
    clone(): Truth {
      const t = new Truth();
      for (const [k, v] of this.bids) t.bids.set(k, v);
      for (const [k, v] of this.asks) t.asks.set(k, v);
      return t;
    }
    top(n: number): { bids: PriceLevel[]; asks: PriceLevel[] } {
      return {
        bids: [...this.bids.values()].sort((a, b) => compareDecimal(b[0], a[0])).slice(0, n),
        asks: [...this.asks.values()].sort((a, b) => compareDecimal(a[0], b[0])).slice(0, n),
      };
    }
  }

  it('a faithful venue behind a lossy, duplicating, reordering feed: whenever synced, the book is the venue book at lastUpdateId', () => {
    let compared = 0;
    fuzz(
      fc.property(venueEvent, fc.array(venueEvent, { minLength: 1, maxLength: 40 }), fc.array(delivery, { maxLength: 80 }), fc.constantFrom(3, 10_000), (initial, events, script, maxBuffered) => {
        // The venue: events[i] covers ids (lastId(i-1) + 1)..(lastId(i-1) + span); history[id] = book after that id.
        const start = 1000;
        let truth = new Truth();
        initial.changes.forEach((c) => truth.apply(c));
        const history = new Map<number, Truth>([[start, truth]]);
        const sent: BinanceDepthEvent[] = [];
        let venueId = start;
        let next = 0;
        const produce = (): BinanceDepthEvent | undefined => {
          const e = events[next++];
          if (e === undefined) return undefined;
          const firstId = venueId + 1;
          venueId += e.span;
          truth = truth.clone();
          e.changes.forEach((c) => truth.apply(c));
          history.set(venueId, truth);
          const ev = depth(firstId, venueId, e.changes.filter((c) => c.side === 'bid').map((c) => c.level), e.changes.filter((c) => c.side === 'ask').map((c) => c.level));
          sent.push(ev);
          return ev;
        };
        /** Truth at the newest id ≤ `at` (a snapshot is always of some id the venue reached). */
        const truthAt = (at: number): [number, Truth] => {
          const ids = [...history.keys()].filter((k) => k <= Math.max(at, start));
          const k = Math.max(...ids);
          return [k, history.get(k) as Truth];
        };

        const sync = new BinanceBookSync(maxBuffered);
        for (const d of script) {
          const results: BinanceSyncResult[] = [];
          const feed = (ev: BinanceDepthEvent | undefined): void => void (ev !== undefined && results.push(sync.onDepth(ev)));
          if (d.t === 'next') feed(produce());
          else if (d.t === 'skip') produce();
          else if (d.t === 'swap') {
            const a = produce();
            feed(produce());
            feed(a);
          } else if (d.t === 'dup') feed(sent[sent.length - d.back]);
          else if (d.t === 'snap') {
            const [snapId, t] = truthAt(venueId - d.lag);
            const top = t.top(ALL);
            results.push(sync.onSnapshot({ lastUpdateId: snapId, bids: top.bids, asks: top.asks }));
          } else if (d.t === 'ticker') {
            const [tid, t] = truthAt(venueId - d.lag);
            const top = t.top(1);
            if (top.bids[0] !== undefined && top.asks[0] !== undefined) results.push(sync.onBookTicker(ticker(tid, top.bids[0], top.asks[0])));
          } else sync.reset();

          for (const r of results) expect(['crossed', 'mismatch']).not.toContain(r);
          if (!sync.synced) continue;
          const expected = history.get(sync.lastUpdateId);
          if (expected === undefined) throw new Error(`synced at ${sync.lastUpdateId}, an id the venue never had`);
          compared++;
          expect(sync.book.top(TOP)).toEqual(expected.top(TOP));
        }
        if (sync.synced) expect(sync.book.top(ALL)).toEqual((history.get(sync.lastUpdateId) as Truth).top(ALL));
      }),
    );
    expect(compared).toBeGreaterThan(0); // the scripts do reach synced books
  }, TIMEOUT);
});
