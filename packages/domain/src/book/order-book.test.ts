import fc from 'fast-check';
import { compareDecimal, isZeroDecimal, normalizeDecimal } from './decimal';
import { OrderBook, type PriceLevel } from './order-book';

describe('OrderBook', () => {
  it('keeps bids high → low and asks low → high, sizes absolute, zero deletes', () => {
    const book = new OrderBook();
    book.setBid('100', '1');
    book.setBid('101.5', '2');
    book.setBid('99.25', '3');
    book.setAsk('103', '1');
    book.setAsk('102', '4');
    expect(book.top(10)).toEqual({
      bids: [
        ['101.5', '2'],
        ['100', '1'],
        ['99.25', '3'],
      ],
      asks: [
        ['102', '4'],
        ['103', '1'],
      ],
    });
    expect(book.setBid('100', '7')).toBe(true);
    expect(book.setBid('101.5', '0')).toBe(true);
    expect(book.setBid('55', '0.000')).toBe(false); // deleting a missing level changes nothing
    expect(book.setBid('100', '7')).toBe(false); // same size: no change
    expect(book.bestBid()).toEqual(['100', '7']);
    expect(book.bestAsk()).toEqual(['102', '4']);
    expect(book.bidCount).toBe(2);
    expect(book.askCount).toBe(2);
  });

  it('treats different spellings of one price as one level and keeps the latest original string', () => {
    const book = new OrderBook();
    book.setBid('0.0024', '10');
    book.setBid('0.00240000', '12');
    expect(book.bidCount).toBe(1);
    expect(book.top(5).bids).toEqual([['0.00240000', '12']]);
    book.setBid('0.002400', '0');
    expect(book.bidCount).toBe(0);
  });

  it('orders prices exactly even where doubles collide', () => {
    const book = new OrderBook();
    book.setAsk('0.10000000000000000002', '1');
    book.setAsk('0.1', '1');
    book.setAsk('0.10000000000000000001', '1');
    expect(book.top(3).asks.map((l) => l[0])).toEqual(['0.1', '0.10000000000000000001', '0.10000000000000000002']);
    book.setBid('0.10000000000000000001', '1');
    expect(book.isCrossed()).toBe(true);
    book.setBid('0.10000000000000000001', '0');
    book.setBid('0.1', '1');
    expect(book.isCrossed()).toBe(true); // locked counts as crossed
    book.setAsk('0.1', '0');
    expect(book.isCrossed()).toBe(false);
  });

  it('replace() loads a snapshot in any order, drops zero sizes, later duplicates win', () => {
    const book = new OrderBook();
    book.setBid('1', '1');
    book.replace(
      [
        ['99', '1'],
        ['100', '2'],
        ['98', '0'],
        ['100.0', '3'],
      ],
      [['101', '1']],
    );
    expect(book.top(10)).toEqual({ bids: [['100.0', '3'], ['99', '1']], asks: [['101', '1']] });
    book.clear();
    expect(book.isEmpty).toBe(true);
    expect(book.top(10)).toEqual({ bids: [], asks: [] });
  });

  it('top(n) returns the same object while nothing within the top n changes', () => {
    const book = new OrderBook();
    for (let i = 0; i < 30; i++) {
      book.setBid(String(100 - i), '1');
      book.setAsk(String(101 + i), '1');
    }
    const t1 = book.top(5);
    book.setBid('80', '9'); // rank 20: outside the top 5
    book.setAsk('200', '1'); // new worst ask
    expect(book.top(5)).toBe(t1);
    book.setBid('98', '2'); // rank 2
    const t2 = book.top(5);
    expect(t2).not.toBe(t1);
    expect(t2.asks).toBe(t1.asks); // untouched side is shared
    expect(t2.bids[2]).toEqual(['98', '2']);
    expect(t1.bids[2]).toEqual(['98', '1']); // handed-out results are never mutated
    expect(book.top(3).bids).toHaveLength(3);
  });
});

/** The naive model: a Map from canonical price to [original price, size], sorted on demand. */
class ModelBook {
  readonly bids = new Map<string, PriceLevel>();
  readonly asks = new Map<string, PriceLevel>();
  set(side: 'bid' | 'ask', price: string, size: string): void {
    const m = side === 'bid' ? this.bids : this.asks;
    if (isZeroDecimal(size)) m.delete(normalizeDecimal(price));
    else m.set(normalizeDecimal(price), [price, size]);
  }
  top(n: number): { bids: PriceLevel[]; asks: PriceLevel[] } {
    const sorted = (m: Map<string, PriceLevel>, dir: number): PriceLevel[] =>
      [...m.values()].sort((a, b) => dir * compareDecimal(a[0], b[0])).slice(0, n);
    return { bids: sorted(this.bids, -1), asks: sorted(this.asks, 1) };
  }
}

const price = fc
  .tuple(fc.integer({ min: 0, max: 60 }), fc.constantFrom('', '0', '00', '0000000000000000000001'))
  // "100.00" .. "115.00", sometimes respelled with trailing zeros, sometimes nudged below double precision.
  .map(([ticks, suffix]) => `${(100 + ticks * 0.25).toFixed(2)}${suffix}`);
const size = fc.constantFrom('0', '0.000', '1', '2.5', '0.00000001', '10');
const op = fc.oneof(
  { weight: 20, arbitrary: fc.record({ kind: fc.constant('set' as const), side: fc.constantFrom('bid' as const, 'ask' as const), price, size }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('replace' as const),
      bids: fc.array(fc.tuple(price, size), { maxLength: 20 }),
      asks: fc.array(fc.tuple(price, size), { maxLength: 20 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('top' as const), n: fc.integer({ min: 1, max: 25 }) }) },
);

describe('OrderBook vs a naive Map model (property)', () => {
  it('agrees after any sequence of operations', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const book = new OrderBook();
        const model = new ModelBook();
        for (const o of ops) {
          if (o.kind === 'set') {
            book.set(o.side, o.price, o.size);
            model.set(o.side, o.price, o.size);
          } else if (o.kind === 'clear') {
            book.clear();
            model.bids.clear();
            model.asks.clear();
          } else if (o.kind === 'replace') {
            book.replace(o.bids, o.asks);
            model.bids.clear();
            model.asks.clear();
            for (const [p, s] of o.bids) model.set('bid', p, s);
            for (const [p, s] of o.asks) model.set('ask', p, s);
          } else {
            expect(book.top(o.n)).toEqual(model.top(o.n));
          }
        }
        expect(book.top(1000)).toEqual(model.top(1000));
        expect(book.bidCount).toBe(model.bids.size);
        expect(book.askCount).toBe(model.asks.size);
        const bb = model.top(1).bids[0];
        const ba = model.top(1).asks[0];
        expect(book.isCrossed()).toBe(bb !== undefined && ba !== undefined && compareDecimal(bb[0], ba[0]) >= 0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('OrderBook speed', () => {
  it('applies well over 200k level updates/s with a top-20 read after each', () => {
    const book = new OrderBook();
    const bids: PriceLevel[] = [];
    const asks: PriceLevel[] = [];
    for (let i = 1; i <= 1000; i++) {
      bids.push([(50000 - i * 0.01).toFixed(2), '1.00000000']);
      asks.push([(50000 + i * 0.01).toFixed(2), '1.00000000']);
    }
    book.replace(bids, asks);
    // Pre-built update stream, mostly near the touch like real feeds.
    const N = 400_000;
    const prices: string[] = new Array<string>(N);
    const sizes: string[] = new Array<string>(N);
    let seed = 12345;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
    for (let i = 0; i < N; i++) {
      const depth = Math.floor(rnd() * rnd() * 300) + 1;
      prices[i] = (i & 1 ? 50000 + depth * 0.01 : 50000 - depth * 0.01).toFixed(2);
      sizes[i] = rnd() < 0.2 ? '0.00000000' : (rnd() * 5).toFixed(8);
    }
    let sink = 0;
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      if (i & 1) book.setAsk(prices[i] as string, sizes[i] as string);
      else book.setBid(prices[i] as string, sizes[i] as string);
      sink += book.top(20).bids.length;
    }
    const rate = N / ((performance.now() - t0) / 1000);
    expect(sink).toBeGreaterThan(0);
    // The target is 200k/s on an idle core; the floor here is lower so a busy shared CI machine doesn't flake.
    expect(rate).toBeGreaterThan(100_000);
  });
});
