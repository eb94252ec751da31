import { FakeVenue } from '../../test/fake-venue';
import { runLeg, type LegRunnerDeps } from './leg-runner';
import { OrderTracker } from './order-tracker';
import type { LegPlan } from './types';

const plan = (over: Partial<LegPlan> = {}): LegPlan => ({
  role: 'buy', tag: 'b', venue: 'binance', symbol: 'BTC-USDT', side: 'buy', qty: '0.1', limitPrice: '65000', clientOrderId: 'a00000000000000000001-b', ...over,
});

describe('runLeg', () => {
  let venue: FakeVenue;
  let tracker: OrderTracker;
  let deps: LegRunnerDeps;
  const now = (): number => performance.timeOrigin + performance.now();

  beforeEach(() => {
    venue = new FakeVenue('binance');
    tracker = new OrderTracker();
    tracker.attach(venue);
    deps = { client: () => venue, tracker, now, pollIntervalMs: 5 };
  });
  afterEach(async () => {
    tracker.detachAll();
    await venue.stop();
  });

  it('a final answer ends the leg at once', async () => {
    const acks: number[] = [];
    const out = await runLeg({ ...deps, onAck: (_p, s, a) => acks.push(a - s) }, plan(), now() + 1000);
    expect(out.status).toBe('filled');
    expect(out.state?.filledQty).toBe('0.1');
    expect(out.ackTs).not.toBeNull();
    expect(acks).toHaveLength(1);
    expect(venue.cancels).toEqual([]);
    expect(tracker.size).toBe(0);
  });

  it('a refused order is rejected and nothing is queried or cancelled', async () => {
    venue.behave = () => ({ kind: 'reject' });
    const out = await runLeg(deps, plan(), now() + 1000);
    expect(out.status).toBe('rejected');
    expect(out.error).toMatch(/VenueRejectError/);
    expect(venue.cancels).toEqual([]);
  });

  it('an unanswered order (outcome unknown) is found by client order id', async () => {
    venue.behave = () => ({ kind: 'timeout', fraction: '0.4' });
    const out = await runLeg(deps, plan(), now() + 1000);
    expect(out.status).toBe('partially_filled');
    expect(out.state?.filledQty).toBe('0.04');
    expect(out.ackTs).toBeNull();
  });

  it('a non-final answer is completed by the private stream before the deadline', async () => {
    venue.behave = () => ({ kind: 'late', afterMs: 30 });
    const out = await runLeg({ ...deps, pollIntervalMs: 10_000 }, plan(), now() + 2000);
    expect(out.status).toBe('filled');
    expect(venue.cancels).toEqual([]);
  });

  it('what is still open at the deadline is cancelled', async () => {
    venue.behave = () => ({ kind: 'open' });
    const t0 = now();
    const out = await runLeg(deps, plan(), t0 + 50);
    expect(now() - t0).toBeGreaterThanOrEqual(45);
    expect(venue.cancels).toEqual([plan().clientOrderId]);
    expect(out.state?.status).toBe('canceled');
    expect(out.status).toBe('unfilled');
  });
});
