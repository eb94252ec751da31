/** One pass/fail finding with what was seen. */
export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** The properties asked of every fault: nothing may be lost, nothing decided on stale data, no money unaccounted for. */
export interface Invariants {
  /** Every journaled leg matches the simulator's order (qty, fee, asset) and every simulator order is journaled once. */
  readonly journal: Check;
  /** No opportunity was decided on a book older than detector.stalenessMs. */
  readonly stale: Check;
  /** The venues never saw more trades in flight at once than the semaphore's limit. */
  readonly semaphore: Check;
  /** The executor's inventory ledger (arb:inv:*) equals the venues' balances (free + locked). */
  readonly ledger: Check;
  /** Every balance change at the venues since the start is in the journal, exposure (residuals) included. */
  readonly balances: Check;
}

/** What a scenario observed; the suite adds the invariants. */
export interface ScenarioOutcome {
  /** What the system did, in order, one plain sentence each. */
  readonly behaviour: readonly string[];
  /** Time from the fault (or its end, see `recoveryOf`) to the recovery named by `recoveryOf`; null = did not recover. */
  readonly recoveryMs: number | null;
  readonly recoveryOf: string;
  /** What was lost (books, orders, trades, exposure), or "nothing". */
  readonly lost: string;
  /** Scenario-specific checks (e.g. the stale book was never traded on). */
  readonly checks: readonly Check[];
}

export interface FaultResult extends ScenarioOutcome {
  readonly name: string;
  readonly fault: string;
  /** Wall time of the scenario, ms. */
  readonly durationMs: number;
  readonly invariants: Invariants;
  readonly ok: boolean;
  /** Set when the scenario itself threw (the stack could not be driven). */
  readonly error?: string;
}

export interface SuiteReport {
  readonly v: 1;
  readonly form: 'short' | 'full';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly machine: string;
  readonly command: string;
  readonly settings: Readonly<Record<string, string | number>>;
  readonly faults: readonly FaultResult[];
  /** The invariants over the whole run, after the last fault. */
  readonly final: Invariants;
  readonly ok: boolean;
}
