import { join } from 'node:path';
import { loadConfig } from '@arb/service-kit';
import { DetectorConfig } from './config';
import { MarketTable } from './markets';

const CONFIG_DIR = join(__dirname, '../../../config');

describe('detector config', () => {
  it('loads from the repository config (default + sim) with every section valid', () => {
    const cfg = loadConfig(DetectorConfig, { dir: CONFIG_DIR, mode: 'sim', env: {} });
    expect(cfg.detector.minConfidence).toBe(0.6);
    expect(cfg.detector.stalenessMs).toBe(1000);
    expect(cfg.detector.partition).toEqual({ mode: 'static', index: 0, count: 1, heartbeatMs: 500, ttlMs: 2000 });
    expect(cfg.markets.usdPegs.USDT).toBe('1');
    expect(cfg.markets.venues.binance?.takerFee).toBe('0.0002');
    expect(cfg.inventory.source).toBe('config');
    const table = new MarketTable(cfg.markets);
    expect(() => table.validate(cfg.symbols)).not.toThrow();
    expect(table.get('binance', 'ETH-USDT')).toMatchObject({ lotStep: '0.0001', tick: '0.01', takerFee: '0.0002', base: 'ETH', quote: 'USDT' });
  });

  it('takes overrides from the environment, numbers as exact decimal strings', () => {
    const cfg = loadConfig(DetectorConfig, {
      dir: CONFIG_DIR,
      mode: 'sim',
      env: {
        ARB__DETECTOR__MIN_PROFIT_PCT: '0.050',
        ARB__DETECTOR__PARTITION__INDEX: '1',
        ARB__DETECTOR__PARTITION__COUNT: '3',
        ARB__DETECTOR__PARTITION__MODE: 'dynamic',
        ARB__DETECTOR__PARTITION__TTL_MS: '3000',
        ARB__MARKETS__VENUES__KRAKEN: '{takerFee: 0.0026, minSize: 0.0001, maxSize: 100, lotStep: 0.00000001, tick: 0.1, minNotional: 0.5}',
        ARB__INVENTORY__BALANCES__KRAKEN: '{BTC: 0.1, USDT: 2000.50}',
        ARB__INVENTORY__SOURCE: 'redis',
      },
    });
    expect(cfg.detector.minProfitPct).toBe('0.050');
    expect(cfg.detector.partition).toEqual({ mode: 'dynamic', index: 1, count: 3, heartbeatMs: 500, ttlMs: 3000 });
    expect(() => loadConfig(DetectorConfig, { dir: CONFIG_DIR, mode: 'sim', env: { ARB__DETECTOR__PARTITION__MODE: 'elastic' } })).toThrow(/mode/);
    expect(cfg.markets.venues.kraken).toMatchObject({ takerFee: '0.0026', tick: '0.1', maxSize: '100' });
    expect(cfg.markets.venues.kraken?.symbols).toBeUndefined();
    expect(cfg.inventory.balances.kraken).toEqual({ BTC: '0.1', USDT: '2000.50' });
    expect(cfg.inventory.source).toBe('redis');
  });

  it('ships the detection groups (volatility, premium, confidence, edges, marketability) and takes their overrides', () => {
    const cfg = loadConfig(DetectorConfig, { dir: CONFIG_DIR, mode: 'sim', env: {} });
    expect(cfg.detector.volatility).toEqual({ halfLifeMs: 30000, minIntervalMs: 100, priorVolBps: 2, priorWeightMs: 5000, clipSigmas: 4 });
    expect(cfg.detector.risk).toEqual({ horizonMs: 250, sigmas: 2, maxExtraBps: 50 });
    expect(cfg.detector.confidence).toEqual({ freshnessPower: 3, depthPenalty: 0.6, newEdgeScore: 0.8, persistMs: 300, flickerPenalty: 0.15, incidentPenalty: 0.25 });
    expect(cfg.detector.edges).toEqual({ windowMs: 5000, maxGapMs: 1000, flickerGapMs: 500 });
    expect(cfg.detector.marketability).toEqual({ edgeShare: 0.5, maxLegBps: 10, lastLevelShare: 0.8 });
    const over = loadConfig(DetectorConfig, {
      dir: CONFIG_DIR,
      mode: 'sim',
      // volReferenceBps is obsolete: still accepted so older overrides load (ignored, warned at start-up).
      env: { ARB__DETECTOR__MARKETABILITY__EDGE_SHARE: '0', ARB__DETECTOR__CONFIDENCE__VOL_REFERENCE_BPS: '1000', ARB__DETECTOR__EDGES__FLICKER_GAP_MS: '250' },
    });
    expect(over.detector.marketability.edgeShare).toBe(0);
    expect(over.detector.edges.flickerGapMs).toBe(250);
    expect(() => loadConfig(DetectorConfig, { dir: CONFIG_DIR, mode: 'sim', env: { ARB__DETECTOR__VOLATILITY__PRIOR_WEIGHT_MS: '0' } })).toThrow(/priorWeightMs/);
    expect(() => loadConfig(DetectorConfig, { dir: CONFIG_DIR, mode: 'sim', env: { ARB__DETECTOR__RISK__HALF_SIZE_VOL_BPS: '10' } })).toThrow();
  });

  it('rejects a bad value with its path', () => {
    expect(() => loadConfig(DetectorConfig, { dir: CONFIG_DIR, mode: 'sim', env: { ARB__DETECTOR__MIN_CONFIDENCE: '1.5' } })).toThrow(
      /detector\/minConfidence/,
    );
    expect(() => loadConfig(DetectorConfig, { dir: CONFIG_DIR, mode: 'sim', env: { ARB__DETECTOR__MIN_PROFIT_PCT: '-1' } })).toThrow(
      /detector\/minProfitPct/,
    );
  });
});
