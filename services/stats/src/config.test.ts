import { resolve } from 'node:path';
import { ConfigError, loadConfig, validateConfig } from '@arb/service-kit';
import { StatsConfig } from './config';

const CONFIG_DIR = resolve(__dirname, '../../../config');

describe('StatsConfig', () => {
  it('loads the stats section of config/default.yaml, for every mode file', () => {
    for (const mode of ['sim', 'paper', 'live']) {
      const cfg = loadConfig(StatsConfig, { dir: CONFIG_DIR, mode, env: {} });
      expect(cfg.stats.timeseries).toEqual({ intervalMs: 5000, points: 720 });
      expect(cfg.stats.maxKeysPerScope).toBe(200);
      expect(cfg.stats.availability).toEqual({ probeMs: 1000, executorStaleMs: 5000, warmupMs: 2000 });
      expect(cfg.markets.usdPegs.USDT).toBe('1');
    }
  });

  it('takes environment overrides', () => {
    const cfg = loadConfig(StatsConfig, {
      dir: CONFIG_DIR,
      env: { ARB__STATS__TIMESERIES__INTERVAL_MS: '1000', ARB__STATS__FEEDS__STATUS_TIMEOUT_MS: '2500', ARB__STATS__AVAILABILITY__PROBE_MS: '250', ARB__MARKETS__USD_PEGS: '{USDT: 0.9995}' },
    });
    expect(cfg.stats.timeseries.intervalMs).toBe(1000);
    expect(cfg.stats.feeds.statusTimeoutMs).toBe(2500);
    expect(cfg.stats.availability.probeMs).toBe(250);
    expect(cfg.markets.usdPegs).toEqual({ USD: '1', USDT: '0.9995', USDC: '1' }); // maps merge
  });

  it('fills defaults when the section is missing and rejects bad values', () => {
    const base = { mode: 'sim', nats: { url: 'nats://x' }, http: { host: '0.0.0.0', port: 1 } };
    const cfg = validateConfig(StatsConfig, base);
    expect(cfg.stats).toMatchObject({ maxKeysPerScope: 200, maxTrackedReportIds: 1_000_000, journal: { batch: 500, retryMs: 1000 } });
    expect(cfg.stats.availability).toEqual({ probeMs: 1000, executorStaleMs: 5000, warmupMs: 2000 });
    expect(() => validateConfig(StatsConfig, { ...base, stats: { availability: { probeMs: 10 } } })).toThrow(ConfigError);
    expect(cfg.markets.usdPegs).toEqual({ USD: '1', USDT: '1', USDC: '1' });
    expect(() => validateConfig(StatsConfig, { ...base, stats: { timeseries: { points: 1 } } })).toThrow(ConfigError);
    expect(() => validateConfig(StatsConfig, { ...base, stats: { maxKeyPerScope: 5 } })).toThrow(/maxKeyPerScope|additional/i);
  });
});
