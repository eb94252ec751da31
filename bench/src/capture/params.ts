import { Type } from '@sinclair/typebox';
import { loadConfig } from '@arb/service-kit';
import Big from 'big.js';

export const CAPTURE_VENUES = ['binance', 'coinbase'] as const;
export type CaptureVenue = (typeof CAPTURE_VENUES)[number];
export const CAPTURE_SYMBOLS = ['BTC-USDT', 'ETH-USDT'] as const;

/**
 * The shipped configuration the capture benchmark compares against (config/default.yaml + config/sim.yaml, no
 * override): the detector's threshold, minimum profit and per-trade notional cap, the sim's taker fees, the
 * inventory the detector sizes against, the sim's own jump rate and the sim accounts' credentials. The baselines
 * are given the same threshold, fees, notional cap and inventory, so they differ from ours only in their rule.
 */
export interface ShippedParams {
  readonly minProfitPct: string;
  /** minProfitPct in bps (0.02 % = 2 bps). */
  readonly thresholdBps: number;
  readonly minProfitUsd: string;
  readonly riskLimitPerTrade: string;
  readonly fees: Readonly<Record<CaptureVenue, string>>;
  /** inventory.balances: venue → asset → amount. */
  readonly balances: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly simSeed: number;
  readonly simJumpsPerMinute: number;
  readonly startPrices: Readonly<Record<string, string>>;
  /** Per symbol the coarser lot step of both venues (markets.venues.<v>.lotStep / symbols override): a size both accept. */
  readonly lotSteps: Readonly<Record<string, string>>;
  /** The larger minNotional of both venues (quote). */
  readonly minNotional: string;
  readonly credentials: {
    readonly binance: { readonly apiKey: string; readonly secretKey: string };
    readonly coinbase: { readonly keyName: string; readonly privateKey: string };
  };
}

// Only the keys read here; everything else in the files is let through.
const Loose = Type.Object({}, { additionalProperties: true });

type Tree = Record<string, unknown>;
const at = (t: unknown, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Tree)[k] : undefined), t);
const str = (t: unknown, path: string): string => {
  const v = at(t, path);
  if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`shipped config has no ${path}`);
  return String(v);
};

/** Loads the sim-mode configuration as a user gets it (no ARB__ overrides from this process's environment). */
export function shippedParams(root: string): ShippedParams {
  const c = loadConfig(Loose, { dir: `${root}/config`, mode: 'sim', env: {} }) as Tree;
  const minProfitPct = str(c, 'detector.minProfitPct');
  const symbols = (at(c, 'sim.symbols') as Array<{ symbol: string; startPrice: string | number }> | undefined) ?? [];
  return {
    minProfitPct,
    thresholdBps: new Big(minProfitPct).times(100).toNumber(),
    minProfitUsd: str(c, 'detector.minProfitUsd'),
    riskLimitPerTrade: str(c, 'detector.riskLimitPerTrade'),
    fees: { binance: str(c, 'sim.trading.binance.takerFee'), coinbase: str(c, 'sim.trading.coinbase.takerFee') },
    balances: (at(c, 'inventory.balances') as ShippedParams['balances'] | undefined) ?? {},
    simSeed: Number(str(c, 'sim.seed')),
    simJumpsPerMinute: Number(str(c, 'sim.jumps.perMinute')),
    startPrices: Object.fromEntries(symbols.map((s) => [s.symbol, String(s.startPrice)])),
    lotSteps: Object.fromEntries(
      CAPTURE_SYMBOLS.map((sym) => {
        const steps = CAPTURE_VENUES.map((v) => new Big(String(at(c, `markets.venues.${v}.symbols.${sym}.lotStep`) ?? str(c, `markets.venues.${v}.lotStep`))));
        return [sym, steps.reduce((a, b) => (a.gt(b) ? a : b)).toString()];
      }),
    ),
    minNotional: CAPTURE_VENUES.map((v) => new Big(str(c, `markets.venues.${v}.minNotional`))).reduce((a, b) => (a.gt(b) ? a : b)).toString(),
    credentials: {
      binance: { apiKey: str(c, 'credentials.binance.apiKey'), secretKey: str(c, 'credentials.binance.secretKey') },
      coinbase: { keyName: str(c, 'credentials.coinbase.keyName'), privateKey: str(c, 'credentials.coinbase.privateKey') },
    },
  };
}
