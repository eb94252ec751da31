import { AvailabilityTracker } from './availability';

const all = { feeds: true, executor: true, killSwitch: true };

describe('AvailabilityTracker', () => {
  it('books each span under the conditions in force at its start, and the open span up to now', () => {
    const t = new AvailabilityTracker(1000);
    expect(t.observe(1000, all)).toBe(true); // from "nothing known"
    expect(t.observe(4000, all)).toBe(false);
    expect(t.observe(5000, { ...all, executor: false })).toBe(true);
    t.observe(6000, { feeds: false, executor: false, killSwitch: true });
    t.observe(7000, all);
    const v = t.view(11_000);
    expect(v).toEqual({
      sinceTs: 1000,
      tradingPossible: true,
      blockedBy: [],
      observedMs: 10_000,
      tradingMs: 4000 + 4000,
      uptimePct: 80,
      blockedMs: { feeds: 1000, executor: 2000, killSwitch: 0 },
    });
  });

  it('time before the first observation is not counted as possible; a clock going back adds nothing', () => {
    const t = new AvailabilityTracker(0);
    t.observe(2000, all);
    t.observe(1500, all);
    expect(t.view(1000)).toMatchObject({ observedMs: 2000, tradingMs: 0, uptimePct: 0 });
    expect(t.view(4000)).toMatchObject({ observedMs: 4000, tradingMs: 2000, uptimePct: 50 });
    expect(new AvailabilityTracker(5).view(5).uptimePct).toBeNull();
  });
});
