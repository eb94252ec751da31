import { DEFAULT_RESYNC_BACKOFF, ResyncBackoff } from './resync-backoff';

describe('ResyncBackoff', () => {
  const opts = { initialMs: 250, maxMs: 10_000, factor: 2, jitter: 0, healthyAfterMs: 5000 };

  it('first attempt now, then exponential and capped while the book does not stay in sync', () => {
    let t = 0;
    const b = new ResyncBackoff(opts, () => t);
    const delays = Array.from({ length: 9 }, () => b.next('BTC-USDT'));
    expect(delays).toEqual([0, 250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(b.failures('BTC-USDT')).toBe(8);
    // A book that syncs and breaks before it is healthy continues the run.
    b.synced('BTC-USDT');
    expect(b.failures('BTC-USDT')).toBe(0);
    t += 4999;
    expect(b.next('BTC-USDT')).toBe(10_000);
    // Keys are independent.
    expect(b.next('ETH-USDT')).toBe(0);
  });

  it('a book in sync for healthyAfterMs starts afresh; reset (new connection) too', () => {
    let t = 0;
    const b = new ResyncBackoff(opts, () => t);
    b.next('k');
    b.next('k');
    b.synced('k');
    t += 5000;
    expect(b.next('k')).toBe(0);
    expect(b.next('k')).toBe(250);
    b.reset('k');
    expect(b.failures('k')).toBe(0);
    expect(b.next('k')).toBe(0);
  });

  it('jitter takes up to that fraction off each delay', () => {
    const b = new ResyncBackoff({ ...opts, jitter: 0.5 }, () => 0, () => 0);
    expect([b.next('k'), b.next('k'), b.next('k')]).toEqual([0, 125, 250]);
    const c = new ResyncBackoff({ ...opts, jitter: 0.5 }, () => 0, () => 0.999_999);
    expect([c.next('k'), c.next('k'), c.next('k')]).toEqual([0, 250, 500]);
  });

  it('refuses nonsense options', () => {
    expect(() => new ResyncBackoff({ ...DEFAULT_RESYNC_BACKOFF, maxMs: 10, initialMs: 100 })).toThrow(RangeError);
    expect(() => new ResyncBackoff({ ...DEFAULT_RESYNC_BACKOFF, factor: 0.5 })).toThrow(RangeError);
  });
});

describe('ResyncBackoff after a lost message', () => {
  it('resyncs at once and starts a new run: the snapshots were not at fault', () => {
    const b = new ResyncBackoff({ initialMs: 250, maxMs: 10_000, factor: 2, jitter: 0, healthyAfterMs: 0 }, () => 0);
    expect([b.next('k'), b.next('k'), b.next('k')]).toEqual([0, 250, 500]);
    expect(b.afterStreamLoss('k')).toBe(0);
    expect(b.next('k')).toBe(250);
  });
});
