import { MarketConfigError, MarketTable, splitSymbol } from './markets';

describe('MarketTable', () => {
  const full = { takerFee: '0.001', minSize: '0.001', maxSize: '100', lotStep: '0.001', tick: '0.01', minNotional: '10' };

  it('resolves symbol override → venue → defaults', () => {
    const t = new MarketTable({
      usdPegs: {},
      defaults: { ...full, takerFee: '0.002', symbols: { 'ETH-BTC': { tick: '0.000001' } } },
      venues: { a: { takerFee: '0.0005', lotStep: '0.0001', symbols: { 'ETH-BTC': { lotStep: '0.01' } } } },
    });
    expect(t.get('a', 'BTC-USDT')).toEqual({
      venue: 'a',
      symbol: 'BTC-USDT',
      base: 'BTC',
      quote: 'USDT',
      ...full,
      takerFee: '0.0005',
      lotStep: '0.0001',
    });
    expect(t.get('a', 'ETH-BTC')).toMatchObject({ lotStep: '0.01', tick: '0.000001', takerFee: '0.0005' });
    expect(t.get('zz', 'BTC-USDT')).toMatchObject({ venue: 'zz', takerFee: '0.002', lotStep: '0.001' });
    expect(t.get('a', 'BTC-USDT')).toBe(t.get('a', 'BTC-USDT'));
  });

  it('an unlisted venue without defaults is not configured; a gap is reported by name', () => {
    const t = new MarketTable({ usdPegs: {}, venues: { a: { ...full, symbols: {} }, b: { takerFee: '0.001', symbols: {} } } });
    expect(t.get('nope', 'BTC-USDT')).toBeNull();
    expect(t.get('b', 'BTC-USDT')).toBeNull();
    expect(() => t.require('b', 'BTC-USDT')).toThrow(MarketConfigError);
    expect(() => t.validate(['BTC-USDT'])).toThrow(/b BTC-USDT has no minSize, maxSize, lotStep, tick, minNotional/);
    expect(t.venues()).toEqual(['a', 'b']);
  });

  it('rejects nonsensical rules', () => {
    const t = new MarketTable({
      usdPegs: {},
      venues: {
        z: { ...full, lotStep: '0', symbols: {} },
        f: { ...full, takerFee: '1', symbols: {} },
        s: { ...full, minSize: '200', symbols: {} },
      },
    });
    expect(() => t.require('z', 'BTC-USDT')).toThrow(/lotStep 0 must be > 0/);
    expect(() => t.require('f', 'BTC-USDT')).toThrow(/takerFee 1 must be < 1/);
    expect(() => t.require('s', 'BTC-USDT')).toThrow(/minSize 200 > maxSize 100/);
  });

  it('splits symbols', () => {
    expect(splitSymbol('ETH-BTC')).toEqual({ base: 'ETH', quote: 'BTC' });
  });
});
