/**
 * Property suite for CoinbaseBookSync fed random frame sequences:
 * - wild: random sequence numbers (duplicates, gaps, out of order), snapshots / updates for tracked and unknown
 *   products with levels that often cross, invalidations and reconnects; it never throws, and every product it
 *   reports live passes `checkBookInvariants` (published top and whole book);
 * - faithful: a simulated venue whose books are always sound, its frames delivered the way the market-data client
 *   handles them (duplicates dropped) with drops, duplicates, swaps and reconnects; every live product's book IS the
 *   venue's book as of the last frame handled, and a sound venue never causes a `crossed`.
 */
import { checkBookInvariants, compareDecimal, isZeroDecimal, type PriceLevel } from '@arb/domain';
import fc from 'fast-check';
import { fuzz, TIMEOUT } from '../../test/fuzz-kit';
import { CoinbaseBookSync, type CoinbaseSeqResult, type CoinbaseSyncResult } from './book-sync';
import type { CoinbaseL2Event } from './parse';

const PRODUCTS = ['BTC-USD', 'ETH-USD'];
const SEQ_RESULTS: ReadonlySet<CoinbaseSeqResult> = new Set(['first', 'ok', 'gap', 'duplicate']);
const L2_RESULTS: ReadonlySet<CoinbaseSyncResult> = new Set(['applied', 'unchanged', 'ignored', 'crossed']);
const TOP = 5;
const ALL = 1_000_000;

const price = (lo: number, hi: number): fc.Arbitrary<string> => fc.tuple(fc.integer({ min: lo, max: hi }), fc.constantFrom('', '.0', '.00', '.5', '.50')).map(([v, s]) => `${v}${s}`);
const size = fc.constantFrom('0', '0.0', '0.000', '1', '1.0', '2.5', '10', '0.001');
const levels = (lo: number, hi: number): fc.Arbitrary<PriceLevel[]> => fc.array(fc.tuple(price(lo, hi), size), { maxLength: 6 });
const product = fc.constantFrom(...PRODUCTS, 'XRP-USD');

type WildOp =
  | { t: 'seq'; seq: number }
  | { t: 'l2'; ev: CoinbaseL2Event; seq: number }
  | { t: 'invalidate'; productId: string }
  | { t: 'invalidateAll' }
  | { t: 'open' }
  | { t: 'full' };
const l2Event: fc.Arbitrary<CoinbaseL2Event> = fc.record({ type: fc.constantFrom('snapshot' as const, 'update' as const), productId: product, bids: levels(1, 20), asks: levels(1, 20) });
const wildOp: fc.Arbitrary<WildOp> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('seq' as const), seq: fc.integer({ min: 0, max: 30 }) }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('l2' as const), ev: l2Event, seq: fc.integer({ min: 0, max: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('invalidate' as const), productId: product }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('invalidateAll' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('open' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('full' as const) }) },
);

describe('CoinbaseBookSync (fuzz)', () => {
  it('random frame sequences never throw; every live book passes checkBookInvariants', () => {
    let checked = 0;
    fuzz(
      fc.property(fc.array(wildOp, { maxLength: 80 }), (ops) => {
        const sync = new CoinbaseBookSync(PRODUCTS);
        for (const op of ops) {
          if (op.t === 'seq') expect(SEQ_RESULTS.has(sync.onSeq(op.seq))).toBe(true);
          else if (op.t === 'l2') {
            const r = sync.onL2Event(op.ev, op.seq, null);
            expect(L2_RESULTS.has(r)).toBe(true);
            if (r === 'crossed') expect(sync.isLive(op.ev.productId)).toBe(false);
          } else if (op.t === 'invalidate') sync.invalidate(op.productId);
          else if (op.t === 'invalidateAll') sync.invalidateAll();
          else if (op.t === 'open') sync.onConnectionOpen();
          for (const p of PRODUCTS) {
            if (!sync.isLive(p)) continue;
            checked++;
            const book = sync.book(p);
            if (book === undefined) throw new Error(`live ${p} without a book`);
            expect(checkBookInvariants(book.top(TOP))).toEqual([]);
            if (op.t === 'full') expect(checkBookInvariants(book.top(ALL))).toEqual([]);
          }
        }
        expect(sync.isLive('XRP-USD')).toBe(false);
      }),
    );
    expect(checked).toBeGreaterThan(0);
  }, TIMEOUT);

  // ---- faithful venue ----

  /** A frame the venue sends: an l2 snapshot / update of one product (maybe untracked), or another channel's frame. */
  type Recipe = { t: 'snapshot'; p: number } | { t: 'update'; p: number; bids: PriceLevel[]; asks: PriceLevel[] } | { t: 'other' };
  const recipe: fc.Arbitrary<Recipe> = fc.oneof(
    { weight: 2, arbitrary: fc.record({ t: fc.constant('snapshot' as const), p: fc.integer({ min: 0, max: 2 }) }) },
    { weight: 8, arbitrary: fc.record({ t: fc.constant('update' as const), p: fc.integer({ min: 0, max: 2 }), bids: levels(1, 10), asks: levels(11, 20) }) },
    { weight: 1, arbitrary: fc.constant({ t: 'other' as const }) },
  );
  type Delivery = { t: 'next' } | { t: 'skip' } | { t: 'swap' } | { t: 'dup'; back: number } | { t: 'reconnect' };
  const delivery: fc.Arbitrary<Delivery> = fc.oneof(
    { weight: 14, arbitrary: fc.constant({ t: 'next' as const }) },
    { weight: 1, arbitrary: fc.constant({ t: 'skip' as const }) },
    { weight: 1, arbitrary: fc.constant({ t: 'swap' as const }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('dup' as const), back: fc.integer({ min: 1, max: 4 }) }) },
    { weight: 1, arbitrary: fc.constant({ t: 'reconnect' as const }) },
  );
  interface Frame {
    readonly seq: number;
    readonly events: readonly CoinbaseL2Event[];
  }
  type Side = Map<string, PriceLevel>;
  const applyTo = (m: Side, level: PriceLevel): void => {
    const key = [...m.keys()].find((k) => compareDecimal(k, level[0]) === 0) ?? level[0];
    m.delete(key);
    if (!isZeroDecimal(level[1])) m.set(level[0], level);
  };
  const topOf = (b: { bids: Side; asks: Side }, n: number): { bids: PriceLevel[]; asks: PriceLevel[] } => ({
    bids: [...b.bids.values()].sort((x, y) => compareDecimal(y[0], x[0])).slice(0, n),
    asks: [...b.asks.values()].sort((x, y) => compareDecimal(x[0], y[0])).slice(0, n),
  });

  it('a faithful venue behind a lossy, duplicating, reordering feed: every live book is the venue book as of the last frame handled', () => {
    let compared = 0;
    fuzz(
      fc.property(fc.array(recipe, { minLength: 1, maxLength: 80 }), fc.array(delivery, { maxLength: 80 }), (recipes, script) => {
        const ALL_PRODUCTS = [...PRODUCTS, 'XRP-USD'];
        const books = ALL_PRODUCTS.map(() => ({ bids: new Map() as Side, asks: new Map() as Side }));
        /** venue book of each product after each frame: truth.get(seq)[product index] (per connection). */
        let truth = new Map<number, Array<{ bids: PriceLevel[]; asks: PriceLevel[] }>>();
        let seq = -1;
        let next = 0;
        let sent: Frame[] = [];
        const produce = (): Frame | undefined => {
          const r = recipes[next++];
          if (r === undefined) return undefined;
          seq++;
          let events: CoinbaseL2Event[] = [];
          if (r.t === 'update') {
            const b = books[r.p] as { bids: Side; asks: Side };
            r.bids.forEach((l) => applyTo(b.bids, l));
            r.asks.forEach((l) => applyTo(b.asks, l));
            events = [{ type: 'update', productId: ALL_PRODUCTS[r.p] as string, bids: r.bids, asks: r.asks }];
          } else if (r.t === 'snapshot') {
            const top = topOf(books[r.p] as { bids: Side; asks: Side }, ALL);
            events = [{ type: 'snapshot', productId: ALL_PRODUCTS[r.p] as string, bids: top.bids, asks: top.asks }];
          }
          truth.set(
            seq,
            books.map((b) => topOf(b, ALL)),
          );
          const f = { seq, events };
          sent.push(f);
          return f;
        };

        const sync = new CoinbaseBookSync(PRODUCTS);
        let handled: number | null = null;
        /** What the market-data client does with one frame. */
        const handle = (f: Frame | undefined): void => {
          if (f === undefined || sync.onSeq(f.seq) === 'duplicate') return;
          handled = f.seq;
          for (const ev of f.events) expect(sync.onL2Event(ev, f.seq, null)).not.toBe('crossed');
        };
        for (const d of script) {
          if (d.t === 'next') handle(produce());
          else if (d.t === 'skip') produce();
          else if (d.t === 'swap') {
            const a = produce();
            handle(produce());
            handle(a);
          } else if (d.t === 'dup') handle(sent[sent.length - d.back]);
          else {
            // The connection drops (the venue moves on meanwhile), a new one starts its sequence numbers over; the
            // venue sends fresh snapshots once resubscribed.
            produce();
            sync.onConnectionOpen();
            [seq, sent, truth, handled] = [-1, [], new Map(), null];
          }
          for (const [i, p] of PRODUCTS.entries()) {
            if (!sync.isLive(p)) continue;
            if (handled === null) throw new Error(`${p} live before any frame`);
            compared++;
            const expected = truth.get(handled)?.[i];
            expect(sync.book(p)?.top(TOP)).toEqual(expected === undefined ? undefined : { bids: expected.bids.slice(0, TOP), asks: expected.asks.slice(0, TOP) });
            expect(sync.seqOf(p)).toBeLessThanOrEqual(handled);
          }
        }
        for (const [i, p] of PRODUCTS.entries()) if (sync.isLive(p) && handled !== null) expect(sync.book(p)?.top(ALL)).toEqual(truth.get(handled)?.[i]);
      }),
    );
    expect(compared).toBeGreaterThan(0);
  }, TIMEOUT);
});
