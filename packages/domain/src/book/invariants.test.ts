import { assertBookInvariants, BookInvariantError, checkBookInvariants } from './invariants';
import { OrderBook } from './order-book';

const rules = (book: Parameters<typeof checkBookInvariants>[0]): string[] => checkBookInvariants(book).map((v) => v.rule);

describe('checkBookInvariants', () => {
  const good = {
    bids: [
      ['100.5', '1'],
      ['100.25', '2'],
      ['99', '0.5'],
    ],
    asks: [
      ['100.6', '1'],
      ['101', '3'],
    ],
  } as const;

  it('accepts a sound book, an empty book and one-sided books', () => {
    expect(checkBookInvariants(good)).toEqual([]);
    expect(checkBookInvariants({ bids: [], asks: [] })).toEqual([]);
    expect(checkBookInvariants({ bids: good.bids, asks: [] })).toEqual([]);
    expect(() => assertBookInvariants(good)).not.toThrow();
  });

  it('flags bids out of order, equal prices in another notation, and asks out of order', () => {
    expect(rules({ bids: [['99', '1'], ['100', '1']], asks: [] })).toEqual(['bids-descending']);
    expect(rules({ bids: [['99.0', '1'], ['99', '1']], asks: [] })).toEqual(['bids-descending']);
    expect(rules({ bids: [], asks: [['101', '1'], ['100.99', '1']] })).toEqual(['asks-ascending']);
  });

  it('flags a crossed or locked book exactly', () => {
    expect(rules({ bids: [['100.1', '1']], asks: [['100.10', '1']] })).toEqual(['crossed']);
    expect(rules({ bids: [['100.2', '1']], asks: [['100.1', '1']] })).toEqual(['crossed']);
    expect(rules({ bids: [['0.10000000000000000001', '1']], asks: [['0.1', '1']] })).toEqual(['crossed']);
    expect(rules({ bids: [['0.1', '1']], asks: [['0.10000000000000000001', '1']] })).toEqual([]);
  });

  it('flags zero sizes, zero prices and non-decimal strings', () => {
    expect(rules({ bids: [['100', '0']], asks: [] })).toEqual(['size-positive']);
    expect(rules({ bids: [], asks: [['0.000', '1']] })).toEqual(['price-positive']);
    expect(rules({ bids: [['-1', '1']], asks: [] })).toEqual(['decimal']);
    expect(rules({ bids: [['1e3', '1']], asks: [] })).toEqual(['decimal']);
    expect(rules({ bids: [[100, '1']], asks: [] })).toEqual(['decimal']);
    expect(rules({ bids: [['100', '1', '2']], asks: [] })).toEqual(['decimal']);
  });

  it('assert throws a BookInvariantError listing the violations', () => {
    const bad = { bids: [['100', '1']], asks: [['99', '1']] } as const;
    expect(() => assertBookInvariants(bad)).toThrow(BookInvariantError);
    try {
      assertBookInvariants(bad);
    } catch (e) {
      expect(e).toBeInstanceOf(BookInvariantError);
      expect((e as BookInvariantError).violations.map((v) => v.rule)).toEqual(['crossed']);
      expect((e as BookInvariantError).name).toBe('BookInvariantError');
    }
  });

  it('checks an OrderBook top directly', () => {
    const book = new OrderBook();
    book.setBid('100', '1');
    book.setAsk('101', '1');
    expect(checkBookInvariants(book.top(20))).toEqual([]);
    book.setBid('101', '1');
    expect(rules(book.top(20))).toEqual(['crossed']);
  });
});
