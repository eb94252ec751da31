import type { RuntimeConfig, TradingParams } from '@arb/contracts';
import { defaultRuntimeConfig } from './document';
import { resolveParams } from './resolve-params';

const file = {
  minProfitPct: '0.05',
  minProfitUsd: '1',
  riskLimitPerTrade: '1000',
  minConfidence: 0.6,
  stalenessMs: 1000,
  executionWindowMs: 500,
  maxConcurrentTrades: 5,
  volatility: { halfLifeMs: 30_000, priorVolBps: 2 },
  risk: { sigmas: 2 },
  confidence: { newEdgeScore: 0.8, flickerPenalty: 0.15 },
  edges: { windowMs: 5000 },
  suppression: { sizeTolerance: 0.1, minIntervalMs: 100 },
  marketability: { edgeShare: 0.5 },
} satisfies Required<TradingParams>;

function runtime(params: TradingParams, variants: RuntimeConfig['variants'] = []): RuntimeConfig {
  return { ...defaultRuntimeConfig(), params, variants };
}

describe('resolveParams', () => {
  it('returns the file params when nothing is overridden', () => {
    expect(resolveParams(file, defaultRuntimeConfig())).toEqual(file);
    expect(resolveParams(file, defaultRuntimeConfig(), 'default')).toEqual(file);
  });

  it('layers file ← runtime.params ← variant.params, field by field', () => {
    const rt = runtime({ minProfitPct: '0.1', stalenessMs: 800 }, [
      { name: 'fast', share: 0.2, params: { minProfitPct: '0.2', minConfidence: 0.9 } },
      { name: 'slow', share: 0.2, params: { executionWindowMs: 900 } },
    ]);
    expect(resolveParams(file, rt, 'fast')).toEqual({ ...file, minProfitPct: '0.2', stalenessMs: 800, minConfidence: 0.9 });
    expect(resolveParams(file, rt, 'slow')).toEqual({ ...file, minProfitPct: '0.1', stalenessMs: 800, executionWindowMs: 900 });
    expect(resolveParams(file, rt)).toEqual({ ...file, minProfitPct: '0.1', stalenessMs: 800 });
  });

  it('overrides parameter groups field by field (file ← runtime ← variant), never replacing a whole group', () => {
    const rt = runtime({ confidence: { newEdgeScore: 0.7 }, edges: { flickerGapMs: 300 } }, [
      { name: 'strict', share: 0.5, params: { confidence: { flickerPenalty: 0.3 }, marketability: { edgeShare: 0, lastLevelShare: 1 } } },
    ]);
    const d = resolveParams(file, rt);
    expect(d.confidence).toEqual({ newEdgeScore: 0.7, flickerPenalty: 0.15 });
    expect(d.edges).toEqual({ windowMs: 5000, flickerGapMs: 300 });
    expect(d.volatility).toBe(file.volatility);
    const v = resolveParams(file, rt, 'strict');
    expect(v.confidence).toEqual({ newEdgeScore: 0.7, flickerPenalty: 0.3 });
    expect(v.marketability).toEqual({ edgeShare: 0, lastLevelShare: 1 });
    expect(Object.isFrozen(v.confidence)).toBe(true);
    expect(file.confidence).toEqual({ newEdgeScore: 0.8, flickerPenalty: 0.15 });
  });

  it('treats an unknown variant (removed since it was assigned) as default', () => {
    const rt = runtime({ minProfitUsd: '2' }, [{ name: 'fast', share: 0.5, params: { minProfitUsd: '3' } }]);
    expect(resolveParams(file, rt, 'gone').minProfitUsd).toBe('2');
  });

  it('keeps decimal strings exactly and zero values (0 is an override, not absent)', () => {
    const rt = runtime({ minProfitPct: '0.000000010', maxConcurrentTrades: 0, minConfidence: 0 });
    const p = resolveParams(file, rt);
    expect(p.minProfitPct).toBe('0.000000010');
    expect(p.maxConcurrentTrades).toBe(0);
    expect(p.minConfidence).toBe(0);
  });

  it('keeps extra fields of the file params and never mutates its inputs', () => {
    const base = { ...file, usdPegs: { USDT: '1' } };
    const rt = runtime({ minProfitPct: '0.3' }, [{ name: 'a', share: 1, params: { stalenessMs: 5 } }]);
    const before = JSON.stringify([base, rt]);
    const p = resolveParams(base, rt, 'a');
    expect(p.usdPegs).toEqual({ USDT: '1' });
    expect(JSON.stringify([base, rt])).toBe(before);
    expect(Object.isFrozen(p)).toBe(true);
  });

  it('ignores fields that are not trading params', () => {
    const rt = runtime({ minProfitPct: '0.3' });
    (rt.params as Record<string, unknown>).bogus = 1;
    expect(resolveParams(file, rt)).not.toHaveProperty('bogus');
  });
});
