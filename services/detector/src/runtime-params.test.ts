import type { RuntimeConfig } from '@arb/contracts';
import { createMetricsRegistry, defaultRuntimeConfig, type RuntimeConfigChange } from '@arb/service-kit';
import { createDetectorMetrics } from './metrics';
import type { DetectorParams } from './params';
import { ParamsHolder } from './params-holder';
import { runtimeParamsListener } from './runtime-params';

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
  risk: {},
  confidence: {},
  suppression: { sizeTolerance: 0.1, minIntervalMs: 0, releaseOnReport: true },
});

function setup(check?: (p: DetectorParams) => void, file: DetectorParams = FILE, applied?: (all: readonly DetectorParams[]) => void) {
  const registry = createMetricsRegistry({ service: 't', defaultMetrics: false });
  const metrics = createDetectorMetrics(registry);
  const holder = new ParamsHolder(file);
  const logs: Array<{ level: string; msg: string; obj: Record<string, unknown> }> = [];
  const log = (level: string) => (obj: Record<string, unknown>, msg: string) => void logs.push({ level, msg, obj });
  const logger = { info: log('info'), warn: log('warn'), error: log('error') };
  const listener = runtimeParamsListener({ holder, file, bucketMs: 60_000, metrics, logger, ...(check ? { check } : {}), ...(applied ? { applied } : {}) });
  let previous: RuntimeConfig | undefined;
  const apply = (doc: Partial<RuntimeConfig>, revision: number): void => {
    const rc = { ...defaultRuntimeConfig(), ...doc };
    const change: RuntimeConfigChange = { revision, previous, changes: [], initial: previous === undefined, source: 'kv' };
    previous = rc;
    listener(rc, change);
  };
  const value = async (name: string, labels: Record<string, string> = {}): Promise<number | undefined> => {
    const data = await registry.getSingleMetric(name)?.get();
    return data?.values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value;
  };
  return { holder, apply, value, logs };
}

describe('runtimeParamsListener', () => {
  it('swaps the whole params set on each document: default params, variants, revision, version, metrics', async () => {
    const t = setup();
    t.apply({}, 0);
    expect(t.holder.current()).toEqual({ ...FILE, version: 2 });
    expect(await t.value('detector_params_revision')).toBe(0);
    expect(await t.value('detector_variant_share', { variant: 'default' })).toBe(1);

    t.apply({ params: { minProfitPct: '5' }, variants: [{ name: 'b', share: 0.3, params: { minConfidence: 0.9 } }] }, 4);
    const set = t.holder.snapshot();
    expect(set.revision).toBe(4);
    expect(set.base).toMatchObject({ version: 3, minProfitPct: '5', variant: 'default' });
    expect(set.paramsOf('b')).toMatchObject({ version: 3, minProfitPct: '5', minConfidence: 0.9, variant: 'b' });
    expect(await t.value('detector_params_revision')).toBe(4);
    expect(await t.value('detector_variant_share', { variant: 'b' })).toBe(0.3);
    expect(await t.value('detector_variant_share', { variant: 'default' })).toBeCloseTo(0.7, 12);

    // Variant removed: its share gauge goes away, the default gets everything again.
    t.apply({ params: { minProfitPct: '5' } }, 5);
    expect(t.holder.snapshot().variants).toEqual([]);
    expect(await t.value('detector_variant_share', { variant: 'b' })).toBeUndefined();
    expect(await t.value('detector_variant_share', { variant: 'default' })).toBe(1);
    expect(t.logs.filter((l) => l.msg === 'detection params applied').map((l) => l.obj.revision)).toEqual([0, 4, 5]);
  });

  it('keeps the previous params when the math cannot use the new ones (counted, logged)', async () => {
    const t = setup((p) => {
      if (p.minProfitPct === '666') throw new Error('unusable');
    });
    t.apply({ params: { minProfitPct: '0.2' } }, 1);
    const good = t.holder.snapshot();
    t.apply({ variants: [{ name: 'bad', share: 0.5, params: { minProfitPct: '666' } }] }, 2);
    expect(t.holder.snapshot()).toBe(good);
    expect(await t.value('detector_params_rejected_total')).toBe(1);
    expect(await t.value('detector_params_revision')).toBe(1);
    expect(t.logs.some((l) => l.level === 'error' && l.obj.revision === 2)).toBe(true);
    // The next usable document applies normally, with the next version.
    t.apply({ params: { minProfitPct: '0.3' } }, 3);
    expect(t.holder.current()).toMatchObject({ minProfitPct: '0.3', version: 3 });
  });

  it('tells the evaluator every params object of a set once it is in force (not a rejected one)', () => {
    const seen: string[][] = [];
    const t = setup((p) => {
      if (p.minProfitPct === '666') throw new Error('unusable');
    }, FILE, (all) => seen.push(all.map((p) => `${p.variant}:${p.confidence.newEdgeScore ?? '-'}`)));
    t.apply({ params: { confidence: { newEdgeScore: 0.7 } }, variants: [{ name: 'b', share: 0.5, params: { confidence: { newEdgeScore: 0.9 } } }] }, 1);
    t.apply({ params: { minProfitPct: '666' } }, 2);
    expect(seen).toEqual([['default:0.7', 'b:0.9']]);
    expect(t.holder.current().confidence).toEqual({ newEdgeScore: 0.7 });
  });

  it('records the kill switch but keeps detecting with the same params', () => {
    const t = setup();
    t.apply({ params: { minProfitPct: '0.2' } }, 1);
    t.apply({ params: { minProfitPct: '0.2' }, killSwitch: true, killReason: 'drill' }, 2);
    expect(t.holder.snapshot().killSwitch).toBe(true);
    expect(t.holder.current().minProfitPct).toBe('0.2');
    expect(t.logs.filter((l) => l.level === 'warn').map((l) => l.obj.killReason)).toEqual(['drill']);
  });

  it("warns when a runtime variant has the name of this detector's default share (file variant)", () => {
    const t = setup(undefined, { ...FILE, variant: 'canary' });
    t.apply({ variants: [{ name: 'other', share: 0.5, params: {} }] }, 1);
    expect(t.logs.filter((l) => l.level === 'warn')).toEqual([]);
    t.apply({ variants: [{ name: 'canary', share: 0.5, params: {} }] }, 2);
    expect(t.logs.filter((l) => l.level === 'warn').map((l) => l.obj.variant)).toEqual(['canary']);
  });
});
