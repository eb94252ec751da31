import { join } from 'node:path';
import { loadConfig } from '@arb/service-kit';
import { parseSimConfig } from './parse';
import { ExchangeSimServiceConfig } from './schema';
import { SimConfigError } from './errors';
import { testSimConfig } from './test-config';

describe('sim config', () => {
  it('the shared config/default.yaml has a valid sim section with faults off', () => {
    const cfg = loadConfig(ExchangeSimServiceConfig, { dir: join(__dirname, '..', '..', '..', '..', 'config'), mode: 'sim', env: {} });
    expect(cfg.sim.symbols.map((s) => s.symbol)).toEqual(['BTC-USDT', 'ETH-USDT']);
    expect(cfg.sim.control.historySize).toBe(0);
    for (const v of [cfg.sim.venues.binance, cfg.sim.venues.coinbase]) expect(Object.values(v.faults).every((x) => x === 0)).toBe(true);
  });

  it('fills defaults', () => {
    const c = parseSimConfig({
      symbols: [{ symbol: 'BTC-USDT', startPrice: '65000' }],
      venues: { binance: { port: 0 }, coinbase: { port: 0 } },
      control: { port: 0 },
    });
    expect(c.symbols[0]?.startPrice).toBe('65000');
    expect(c.venues.binance.pingIntervalMs).toBe(20000);
    expect(c.venues.coinbase.subscribeTimeoutMs).toBe(5000);
    expect(c.venues.binance.faults.dropRate).toBe(0);
    expect(c.control.historySize).toBe(0);
  });

  it('rejects bad values naming the path', () => {
    expect(() => testSimConfig({ venues: { binance: { faults: { dropRate: 1.5 } } } })).toThrow(/faults\/dropRate/);
    expect(() => testSimConfig({ jumps: { minBps: 10, maxBps: 5 } })).toThrow(SimConfigError);
    expect(() => testSimConfig({ symbols: [{ symbol: 'btc', startPrice: '1' }] })).toThrow(/symbol/);
  });
});
