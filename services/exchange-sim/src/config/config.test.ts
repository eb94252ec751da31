import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { loadConfig } from '@arb/service-kit';
import { parseSimConfig } from './parse';
import { ExchangeSimServiceConfig, SimConfig } from './schema';
import { SimConfigError } from './errors';
import { testSimConfig } from './test-config';

describe('sim config', () => {
  it('the shared config/default.yaml has a valid sim section with faults off', () => {
    const cfg = loadConfig(ExchangeSimServiceConfig, { dir: join(__dirname, '..', '..', '..', '..', 'config'), mode: 'sim', env: {} });
    expect(cfg.sim.symbols.map((s) => s.symbol)).toEqual(['BTC-USDT', 'ETH-USDT']);
    expect(cfg.sim.control.historySize).toBe(0);
    for (const v of [cfg.sim.venues.binance, cfg.sim.venues.coinbase]) expect(Object.values(v.faults).every((x) => x === 0)).toBe(true);
  });

  it('sim mode: the throwaway client credentials (sim.yaml) match the sim accounts (default.yaml); fees match the detector', () => {
    const Shape = Type.Object(
      {
        sim: SimConfig,
        credentials: Type.Object({
          binance: Type.Object({ apiKey: Type.String(), secretKey: Type.String() }),
          coinbase: Type.Object({ keyName: Type.String(), privateKey: Type.String() }),
        }),
        markets: Type.Object({ venues: Type.Object({ binance: Type.Object({ takerFee: Type.String() }), coinbase: Type.Object({ takerFee: Type.String() }) }) }),
      },
      { additionalProperties: true },
    );
    const cfg = loadConfig(Shape, { dir: join(__dirname, '..', '..', '..', '..', 'config'), mode: 'sim', env: {} });
    const [b] = cfg.sim.accounts.binance;
    const [c] = cfg.sim.accounts.coinbase;
    expect(b).toMatchObject({ apiKey: cfg.credentials.binance.apiKey, secretKey: cfg.credentials.binance.secretKey });
    expect(c?.keyName).toBe(cfg.credentials.coinbase.keyName);
    const data = Buffer.from('header.claims');
    const sig = sign('sha256', data, { key: createPrivateKey(cfg.credentials.coinbase.privateKey), dsaEncoding: 'ieee-p1363' });
    expect(verify('sha256', data, { key: createPublicKey(c?.publicKey ?? ''), dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
    expect(cfg.sim.trading.binance.takerFee).toBe(cfg.markets.venues.binance.takerFee);
    expect(cfg.sim.trading.coinbase.takerFee).toBe(cfg.markets.venues.coinbase.takerFee);
    // The sim stack places orders much faster than Binance's unfilled order count allows (50 / 10 s).
    expect(cfg.sim.trading.binance.ordersPer10s).toBeGreaterThanOrEqual(100_000);
    // An env override (as tests use) brings back Binance's limit.
    const strict = loadConfig(Shape, { dir: join(__dirname, '..', '..', '..', '..', 'config'), mode: 'sim', env: { ARB__SIM__TRADING__BINANCE__ORDERS_PER_10S: '50' } });
    expect(strict.sim.trading.binance.ordersPer10s).toBe(50);
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
    expect(c.accounts).toEqual({ binance: [], coinbase: [] });
    expect(c.trading).toMatchObject({ tradeHoldMs: 0, binance: { takerFee: '0.001', commission: 'received', feeDecimals: 8, ordersPer10s: 50, ordersPerDay: 160000 }, coinbase: { takerFee: '0.006', jwtLeewayS: 5 } });
    expect(c.trading.binance.faults).toEqual({ rejectRate: 0, timeoutRate: 0, slowAckMs: 0, error5xxRate: 0, failAll: false, arrivalDelayMs: 0, lateFillShare: 0, lateFillMs: 2000, refuseStatus: 0, refuseRetryAfterS: 60 });
    expect(c.windows).toEqual({ capacity: 10000 });
    expect(c.rivals).toEqual({
      enabled: true,
      share: 1,
      minEdgeBps: 0,
      takerFee: {},
      reaction: { distribution: 'lognormal', medianMs: 40, p90Ms: 250, minMs: 1, maxMs: 5000 },
      symbols: {},
    });
  });

  it('the shipped config has competition on, and an env switch turns it off', () => {
    const dir = join(__dirname, '..', '..', '..', '..', 'config');
    expect(loadConfig(ExchangeSimServiceConfig, { dir, mode: 'sim', env: {} }).sim.rivals.enabled).toBe(true);
    expect(loadConfig(ExchangeSimServiceConfig, { dir, mode: 'sim', env: { ARB__SIM__RIVALS__ENABLED: 'false' } }).sim.rivals.enabled).toBe(false);
  });

  it('rejects inconsistent rival settings', () => {
    expect(() => testSimConfig({ rivals: { reaction: { medianMs: 100, p90Ms: 50 } } })).toThrow(/p90Ms < medianMs/);
    expect(() => testSimConfig({ rivals: { reaction: { minMs: 100, maxMs: 50 } } })).toThrow(/maxMs < minMs/);
    expect(() => testSimConfig({ rivals: { takerFee: { kraken: '0.001' } } })).toThrow(/unknown venue/);
    expect(() => testSimConfig({ rivals: { symbols: { 'DOGE-USDT': { enabled: false } } } })).toThrow(/not in sim.symbols/);
    expect(() => testSimConfig({ rivals: { symbols: { 'BTC-USDT': { reaction: { p90Ms: 10 } } } } })).toThrow(/BTC-USDT.reaction.p90Ms/);
    expect(() => testSimConfig({ rivals: { share: 0 } })).toThrow(SimConfigError);
    expect(testSimConfig({ rivals: { reaction: { distribution: 'fixed', medianMs: 0, p90Ms: 0 } } }).rivals.reaction.medianMs).toBe(0);
  });

  it('rejects bad values naming the path', () => {
    expect(() => testSimConfig({ venues: { binance: { faults: { dropRate: 1.5 } } } })).toThrow(/faults\/dropRate/);
    expect(() => testSimConfig({ jumps: { minBps: 10, maxBps: 5 } })).toThrow(SimConfigError);
    expect(() => testSimConfig({ symbols: [{ symbol: 'btc', startPrice: '1' }] })).toThrow(/symbol/);
    // A Binance account signs with an HMAC secret or an Ed25519/RSA key pair: exactly one of them.
    expect(() => testSimConfig({ accounts: { binance: [{ apiKey: 'abcdefgh12', balances: {} }] } })).toThrow(/exactly one of secretKey/);
    const pub = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n';
    expect(() => testSimConfig({ accounts: { binance: [{ apiKey: 'abcdefgh12', secretKey: 'secret123', publicKey: pub, balances: {} }] } })).toThrow(/exactly one of secretKey/);
  });
});
