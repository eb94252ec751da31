import type { CcxtVenue } from './ccxt';

export type Form = 'short' | 'full';

/** One call of the table checked on one venue. */
export interface CheckResult {
  /** The row of the table, e.g. `createOrder limit GTC`. */
  readonly call: string;
  readonly venue: CcxtVenue;
  readonly ok: boolean;
  /** What was checked and seen (or why it failed). */
  readonly detail: string;
  readonly ms: number;
}

export interface SuiteReport {
  readonly form: Form;
  readonly ok: boolean;
  readonly command: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly ccxtVersion: string;
  /** Settings the suite changed from the shipped sim-mode config, with why. */
  readonly overrides: Readonly<Record<string, string>>;
  readonly venues: readonly CcxtVenue[];
  readonly results: readonly CheckResult[];
}
