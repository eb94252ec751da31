import { corruptBinanceDepth, corruptCoinbaseL2, type CorruptKind } from '../faults/corrupt';
import { decimalsOf, formatScaled, toScaledInt } from './scaled';
import { deriveInstrument, resolveInstrument } from './instrument';
import { isoMicros } from './format';
import { Rng } from './rng';

describe('scaled decimals', () => {
  it('formats integers exactly', () => {
    expect(formatScaled(6500001, 2)).toBe('65000.01');
    expect(formatScaled(5, 8)).toBe('0.00000005');
    expect(formatScaled(650000100000000, 8)).toBe('6500001.00000000');
    expect(formatScaled(7, 0)).toBe('7');
    expect(decimalsOf('0.0100')).toBe(2);
    expect(decimalsOf('10')).toBe(0);
    expect(toScaledInt('0.01', 8)).toBe(1000000);
    expect(() => toScaledInt('0.001', 2)).toThrow(RangeError);
  });

  it('resolves instruments and derives rules for unknown symbols', () => {
    const inst = resolveInstrument({ symbol: 'BTC-USDT', startPrice: '65000', volatilityBps: 1 }, { tickSize: '0.01', stepSize: '0.00001', levelSize: '0.5' }, { priceDecimals: 8, sizeDecimals: 8 });
    expect(inst).toMatchObject({ base: 'BTC', quote: 'USDT', tickUnits: 1000000, lotUnits: 1000, levelLots: 50000, priceDecimals: 8 });
    expect(deriveInstrument('65000')).toEqual({ tickSize: '0.01', stepSize: '0.0001', levelSize: '0.1000' });
    expect(deriveInstrument('0.5').tickSize).toBe('0.0000001');
  });

  it('formats ISO timestamps with microseconds', () => {
    expect(isoMicros(Date.UTC(2024, 0, 2, 3, 4, 5, 123) + 0.456)).toBe('2024-01-02T03:04:05.123456Z');
  });
});

describe('rng', () => {
  it('is deterministic per seed and roughly uniform / normal', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    const xs = Array.from({ length: 10000 }, () => a.next());
    expect(Array.from({ length: 10000 }, () => b.next())).toEqual(xs);
    expect(new Rng(6).next()).not.toBe(xs[0]);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
    const n = Array.from({ length: 10000 }, () => a.normal());
    const m = n.reduce((s, x) => s + x, 0) / n.length;
    const sd = Math.sqrt(n.reduce((s, x) => s + (x - m) ** 2, 0) / n.length);
    expect(Math.abs(m)).toBeLessThan(0.05);
    expect(Math.abs(sd - 1)).toBeLessThan(0.05);
  });
});

describe('corruption', () => {
  const bin = '{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":5,"u":6,"b":[["100.00","1.5"]],"a":[["101.00","2"]]}';
  const cb = '{"channel":"l2_data","client_id":"","timestamp":"t","sequence_num":3,"events":[{"type":"update","product_id":"BTC-USDT","updates":[{"side":"bid","event_time":"t","price_level":"100.00","new_quantity":"1.5"}]}]}';
  const cross = () => ({ price: '102.00', qty: '1' });

  it('produces every kind, each breaking the message in its own way', () => {
    const rng = new Rng(1);
    const kinds = new Map<CorruptKind, string>();
    for (let i = 0; i < 100; i++) {
      const r = corruptBinanceDepth(bin, rng, cross);
      kinds.set(r.kind, r.text);
    }
    expect(() => JSON.parse(kinds.get('badJson') ?? '')).toThrow();
    expect(kinds.get('negativeSize')).toContain('["100.00","-1.5"]');
    expect(kinds.get('crossed')).toContain('"b":[["102.00","1"],["100.00","1.5"]]');
    expect(JSON.parse(kinds.get('missingField') ?? '{}')).not.toHaveProperty('u');
    const cbKinds = new Map<CorruptKind, string>();
    for (let i = 0; i < 100; i++) {
      const r = corruptCoinbaseL2(cb, rng, cross, 't');
      cbKinds.set(r.kind, r.text);
    }
    expect(cbKinds.size).toBe(4);
    expect(cbKinds.get('negativeSize')).toContain('"new_quantity":"-1.5"');
    expect(cbKinds.get('crossed')).toContain('"price_level":"102.00"');
    expect(cbKinds.get('missingField')).not.toContain('price_level');
  });
});
