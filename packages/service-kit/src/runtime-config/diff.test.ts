import type { RuntimeConfig } from '@arb/contracts';
import { diffConfig, formatChanges } from './diff';
import { defaultRuntimeConfig } from './document';

const doc = (over: Partial<RuntimeConfig>): RuntimeConfig => ({ ...defaultRuntimeConfig(), ...over });

describe('diffConfig', () => {
  it('finds nothing between equal documents', () => {
    expect(diffConfig(doc({ params: { minProfitPct: '0.1' } }), doc({ params: { minProfitPct: '0.1' } }))).toEqual([]);
  });

  it('reports added, removed and changed leaves with dotted paths', () => {
    const a = doc({ killSwitch: false, params: { minProfitPct: '0.1', stalenessMs: 900 } });
    const b = doc({ killSwitch: true, killReason: 'halt', params: { minProfitPct: '0.2', minConfidence: 0.7 } });
    expect(diffConfig(a, b)).toEqual([
      { path: 'killSwitch', op: 'change', before: false, after: true },
      { path: 'params.minProfitPct', op: 'change', before: '0.1', after: '0.2' },
      { path: 'params.stalenessMs', op: 'remove', before: 900 },
      { path: 'params.minConfidence', op: 'add', after: 0.7 },
      { path: 'killReason', op: 'add', after: 'halt' },
    ]);
  });

  it('compares decimal strings as strings ("0.10" differs from "0.1")', () => {
    expect(diffConfig(doc({ params: { minProfitPct: '0.1' } }), doc({ params: { minProfitPct: '0.10' } }))).toHaveLength(1);
  });

  it('matches variants by name and reports order changes', () => {
    const fast = { name: 'fast', share: 0.1, params: { minProfitPct: '0.2' } };
    const slow = { name: 'slow', share: 0.2, params: {} };
    const a = doc({ variants: [fast, slow] });
    expect(diffConfig(a, doc({ variants: [{ ...fast, share: 0.15 }, slow] }))).toEqual([
      { path: 'variants.fast.share', op: 'change', before: 0.1, after: 0.15 },
    ]);
    expect(diffConfig(a, doc({ variants: [slow] }))).toEqual([{ path: 'variants.fast', op: 'remove', before: fast }]);
    expect(diffConfig(doc({}), doc({ variants: [fast] }))).toEqual([{ path: 'variants.fast', op: 'add', after: fast }]);
    expect(diffConfig(a, doc({ variants: [slow, fast] }))).toEqual([
      { path: 'variants.(order)', op: 'change', before: ['fast', 'slow'], after: ['slow', 'fast'] },
    ]);
  });

  it('skips ignored top-level keys', () => {
    const a = doc({ updatedTs: 1, updatedBy: 'x' });
    const b = doc({ updatedTs: 2, updatedBy: 'y' });
    expect(diffConfig(a, b)).toHaveLength(2);
    expect(diffConfig(a, b, ['updatedTs', 'updatedBy'])).toEqual([]);
  });

  it('formats changes', () => {
    expect(
      formatChanges([
        { path: 'a', op: 'add', after: '1' },
        { path: 'b', op: 'remove', before: 2 },
        { path: 'c', op: 'change', before: false, after: true },
      ]),
    ).toEqual(['+ a: "1"', '- b: 2', '~ c: false → true']);
  });
});
