import type { RuntimeConfig } from '@arb/contracts';
import { assignVariant, defaultRuntimeConfig, routeVariantKey } from '@arb/service-kit';
import type { DetectorParams } from './params';
import { buildParamsSet, ParamsSet } from './params-set';

const FILE: DetectorParams = Object.freeze({
  version: 1,
  variant: 'default',
  minProfitPct: '0.05',
  minProfitUsd: '1',
  riskLimitPerTrade: '1000',
  minConfidence: 0.6,
  stalenessMs: 1000,
  executionWindowMs: 500,
  usdPegs: { USDT: '1' },
  volatility: {},
  edges: {},
  marketability: { edgeShare: 0.5 },
  risk: { sigmas: 2 },
  confidence: {},
  suppression: { sizeTolerance: 0.1, minIntervalMs: 0, releaseOnReport: true },
});

const rc = (over: Partial<RuntimeConfig>): RuntimeConfig => ({ ...defaultRuntimeConfig(), ...over });
const AB = rc({
  params: { minProfitPct: '0.10', stalenessMs: 800 },
  variants: [{ name: 'b', share: 0.5, params: { minProfitPct: '1', executionWindowMs: 777 } }],
});
const VENUES = ['v0', 'v1', 'v2', 'v3'];
const SYMBOLS = ['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'ADA-USDT', 'XRP-USDT'];
const routes = (): Array<[string, string, string]> =>
  SYMBOLS.flatMap((s) => VENUES.flatMap((b) => VENUES.filter((x) => x !== b).map((x): [string, string, string] => [s, b, x])));

describe('buildParamsSet', () => {
  it('without overrides gives the file params (new version) and no variants; every route gets them', () => {
    const set = buildParamsSet(FILE, defaultRuntimeConfig(), { revision: 0, version: 2, bucketMs: 60_000 });
    expect(set.base).toEqual({ ...FILE, version: 2 });
    expect(set.variants).toEqual([]);
    expect(set.forRoute('BTC-USDT', 'v0', 'v1', 123)).toBe(set.base);
    expect(set.variantOf('BTC-USDT', 'v0', 'v1', 123)).toBe('default');
    expect(Object.isFrozen(set.base)).toBe(true);
  });

  it('layers file ← runtime params (default share) ← variant params, stamping names, revision and kill switch', () => {
    const set = buildParamsSet(FILE, { ...AB, killSwitch: true }, { revision: 7, version: 3, bucketMs: 60_000 });
    expect(set.revision).toBe(7);
    expect(set.killSwitch).toBe(true);
    expect(set.base).toEqual({ ...FILE, version: 3, minProfitPct: '0.10', stalenessMs: 800 });
    const b = set.paramsOf('b');
    expect(b).toEqual({ ...FILE, version: 3, variant: 'b', minProfitPct: '1', stalenessMs: 800, executionWindowMs: 777 });
    expect(b.risk).toBe(FILE.risk);
    expect(set.paramsOf('gone')).toBe(set.base);
    expect(set.all()).toEqual([set.base, b]);
  });

  it('overrides detection parameter groups field by field, per variant', () => {
    const doc = rc({
      params: { confidence: { newEdgeScore: 0.7 } },
      variants: [{ name: 'b', share: 0.5, params: { confidence: { flickerPenalty: 0.3 }, marketability: { lastLevelShare: 1 }, volatility: { halfLifeMs: 5000 } } }],
    });
    const set = buildParamsSet({ ...FILE, confidence: { newEdgeScore: 0.8, persistMs: 300 } }, doc, { revision: 2, version: 2, bucketMs: 0 });
    expect(set.base.confidence).toEqual({ newEdgeScore: 0.7, persistMs: 300 });
    expect(set.base.marketability).toEqual({ edgeShare: 0.5 });
    const b = set.paramsOf('b');
    expect(b.confidence).toEqual({ newEdgeScore: 0.7, persistMs: 300, flickerPenalty: 0.3 });
    expect(b.marketability).toEqual({ edgeShare: 0.5, lastLevelShare: 1 });
    expect(b.volatility).toEqual({ halfLifeMs: 5000 });
  });

  it("stamps the default share with the file's variant name", () => {
    const set = buildParamsSet({ ...FILE, variant: 'canary' }, AB, { revision: 1, version: 2, bucketMs: 0 });
    expect(set.base.variant).toBe('canary');
    expect(set.paramsOf('b').variant).toBe('b');
  });
});

describe('ParamsSet.forRoute', () => {
  it('assigns each route by assignVariant(routeVariantKey(symbol, buy, sell, floor(now / bucketMs)))', () => {
    const set = buildParamsSet(FILE, AB, { revision: 1, version: 2, bucketMs: 60_000 });
    const seen = new Set<string>();
    for (const now of [0, 59_999, 60_000, 1_700_000_000_123]) {
      for (const [s, b, x] of routes()) {
        const expected = assignVariant(routeVariantKey(s, b, x, Math.floor(now / 60_000)), AB.variants);
        const p = set.forRoute(s, b, x, now);
        expect(p).toBe(set.paramsOf(expected));
        expect(set.variantOf(s, b, x, now)).toBe(expected);
        seen.add(p.variant);
      }
    }
    expect([...seen].sort()).toEqual(['b', 'default']);
  });

  it('keeps a route on one variant (same object) within a bucket and rotates routes between buckets', () => {
    const set = buildParamsSet(FILE, AB, { revision: 1, version: 2, bucketMs: 1_000 });
    const first = set.forRoute('BTC-USDT', 'v0', 'v1', 5_000);
    for (let t = 5_000; t < 6_000; t += 37) expect(set.forRoute('BTC-USDT', 'v0', 'v1', t)).toBe(first);
    const overTime = new Set<string>();
    for (let bucket = 0; bucket < 100; bucket++) overTime.add(set.forRoute('BTC-USDT', 'v0', 'v1', bucket * 1_000 + 1).variant);
    expect([...overTime].sort()).toEqual(['b', 'default']);
  });

  it('with bucketMs 0 a route keeps its variant forever (route key alone)', () => {
    const set = buildParamsSet(FILE, AB, { revision: 1, version: 2, bucketMs: 0 });
    for (const [s, b, x] of routes()) {
      const expected = assignVariant(routeVariantKey(s, b, x), AB.variants);
      for (const now of [0, 1e6, 1e12]) expect(set.forRoute(s, b, x, now).variant).toBe(expected);
    }
  });

  it('splits routes roughly by the shares (two variants and default)', () => {
    const variants = [
      { name: 'x', share: 0.25, params: { minProfitPct: '0.2' } },
      { name: 'y', share: 0.25, params: { minProfitPct: '0.3' } },
    ];
    const set = buildParamsSet(FILE, rc({ variants }), { revision: 1, version: 2, bucketMs: 1_000 });
    const counts: Record<string, number> = {};
    for (let bucket = 0; bucket < 100; bucket++) {
      for (const [s, b, x] of routes()) {
        const v = set.forRoute(s, b, x, bucket * 1_000).variant;
        counts[v] = (counts[v] ?? 0) + 1;
      }
    }
    const total = 100 * routes().length;
    expect(Math.abs((counts.x ?? 0) / total - 0.25)).toBeLessThan(0.03);
    expect(Math.abs((counts.y ?? 0) / total - 0.25)).toBeLessThan(0.03);
    expect(Math.abs((counts.default ?? 0) / total - 0.5)).toBeLessThan(0.03);
  });

  it('a bare ParamsSet (file params only) gives its base to every route', () => {
    const set = new ParamsSet(FILE);
    expect(set.forRoute('BTC-USDT', 'a', 'b', 1)).toBe(FILE);
    expect(set.revision).toBe(0);
    expect(set.killSwitch).toBe(false);
  });
});
