import { testSimConfig } from '../config/test-config';
import { Rng } from '../model/rng';
import { ReactionSampler } from './reaction';

const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))] as number;

describe('ReactionSampler', () => {
  it('default: lognormal with the configured median and p90, heavy right tail, clamped', () => {
    const cfg = testSimConfig().rivals.reaction;
    const s = new ReactionSampler(cfg, new Rng(3));
    const xs = Array.from({ length: 40000 }, () => s.draw());
    expect(quantile(xs, 0.5)).toBeGreaterThan(38);
    expect(quantile(xs, 0.5)).toBeLessThan(42);
    expect(quantile(xs, 0.9)).toBeGreaterThan(235);
    expect(quantile(xs, 0.9)).toBeLessThan(265);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).toBeGreaterThan(2 * quantile(xs, 0.5));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(cfg.minMs);
    expect(Math.max(...xs)).toBeLessThanOrEqual(cfg.maxMs);
    expect(xs.filter((x) => x === cfg.maxMs).length).toBeGreaterThan(0);
  });

  it("fixed gives the median; draws are the seed's", () => {
    const fixed = new ReactionSampler({ distribution: 'fixed', medianMs: 75, p90Ms: 500, minMs: 0, maxMs: 1000 }, new Rng(1));
    expect([fixed.draw(), fixed.draw()]).toEqual([75, 75]);
    const cfg = testSimConfig().rivals.reaction;
    const a = new ReactionSampler(cfg, new Rng(9));
    const b = new ReactionSampler(cfg, new Rng(9));
    const c = new ReactionSampler(cfg, new Rng(10));
    const seq = (x: ReactionSampler) => Array.from({ length: 5 }, () => x.draw());
    const sa = seq(a);
    expect(seq(b)).toEqual(sa);
    expect(seq(c)).not.toEqual(sa);
  });
});
