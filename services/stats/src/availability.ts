/**
 * Trading availability ("uptime %"): the share of the time this stats process observed during which trading was
 * possible. Trading is possible while all three conditions hold:
 * - `feeds`: every venue seen on md.status.* is live (state `live`, last status fresh) and so is every symbol it
 *   reports, and at least one arbitrage pair (a symbol on two venues) is live;
 * - `executor`: an executor is taking opportunities: the shared ARB_OPPS consumer has a pull request waiting
 *   (a connected executor always keeps one open, also while busy), as of a probe no older than `executorStaleMs`;
 * - `killSwitch`: the kill switch in arb_config is off.
 * Observation starts when the service has checked every condition once (`startedTs`); conditions are piecewise
 * constant between observations. Pure: time comes in as arguments.
 */
export const CONDITIONS = ['feeds', 'executor', 'killSwitch'] as const;
export type Condition = (typeof CONDITIONS)[number];

export type ConditionState = Record<Condition, boolean>;

export interface AvailabilityView {
  /** All conditions hold now. */
  tradingPossible: boolean;
  /** The conditions that fail now (empty when trading is possible). */
  blockedBy: Condition[];
  /** When observation started (the stats service's first check of every condition), null before. */
  sinceTs: number | null;
  /** Time observed since then (ms). */
  observedMs: number;
  /** Of which trading was possible (ms). */
  tradingMs: number;
  /** tradingMs / observedMs × 100 (null before any time was observed). */
  uptimePct: number | null;
  /** Time each condition failed (ms; they overlap when several fail at once). */
  blockedMs: Record<Condition, number>;
}

const none = (): ConditionState => ({ feeds: false, executor: false, killSwitch: false });
const possible = (c: ConditionState): boolean => CONDITIONS.every((k) => c[k]);

export class AvailabilityTracker {
  private since: number;
  private current: ConditionState = none();
  private tradingMs = 0;
  private readonly blockedMs: Record<Condition, number> = { feeds: 0, executor: 0, killSwitch: 0 };

  constructor(private readonly startedTs: number) {
    this.since = startedTs;
  }

  /** The conditions as of `now`; returns true when they differ from the previous ones. */
  observe(now: number, state: ConditionState): boolean {
    this.close(now);
    const changed = CONDITIONS.some((k) => state[k] !== this.current[k]);
    this.current = { ...state };
    return changed;
  }

  view(now: number): AvailabilityView {
    const t = Math.max(now, this.since);
    const open = t - this.since;
    const up = possible(this.current);
    const blockedMs = { ...this.blockedMs };
    for (const k of CONDITIONS) if (!this.current[k]) blockedMs[k] += open;
    const observedMs = Math.max(0, t - this.startedTs);
    const tradingMs = this.tradingMs + (up ? open : 0);
    return {
      sinceTs: this.startedTs,
      tradingPossible: up,
      blockedBy: CONDITIONS.filter((k) => !this.current[k]),
      observedMs,
      tradingMs,
      uptimePct: observedMs > 0 ? (tradingMs / observedMs) * 100 : null,
      blockedMs,
    };
  }

  /** Books the time since the last observation under the conditions then in force. */
  private close(now: number): void {
    if (now <= this.since) return;
    const span = now - this.since;
    if (possible(this.current)) this.tradingMs += span;
    for (const k of CONDITIONS) if (!this.current[k]) this.blockedMs[k] += span;
    this.since = now;
  }
}

/** The view before observation started: nothing observed, the conditions as they stand. */
export function unobservedView(state: ConditionState): AvailabilityView {
  return {
    sinceTs: null,
    tradingPossible: possible(state),
    blockedBy: CONDITIONS.filter((k) => !state[k]),
    observedMs: 0,
    tradingMs: 0,
    uptimePct: null,
    blockedMs: { feeds: 0, executor: 0, killSwitch: 0 },
  };
}
