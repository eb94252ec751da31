import type { ExecutionStatus } from '@arb/contracts';

/**
 * How a journaled status counts:
 * - `success`: `filled` (both legs filled in full);
 * - `partial`: `partial` (both legs filled the same smaller size: balanced, no exposure);
 * - `recovered`: `hedged` or `unwound` (one leg failed; the imbalance was closed by a hedge or an unwind);
 * - `failed`: `exposed`, `rejected`, `failed` (no fill, or exposure left open);
 * - `not_executed`: `expired`, `skipped` (no order was sent).
 * `executed` = everything but `not_executed`; the success rate is success / executed.
 */
export type Outcome = 'success' | 'partial' | 'recovered' | 'failed' | 'not_executed';

export const OUTCOMES: readonly Outcome[] = ['success', 'partial', 'recovered', 'failed', 'not_executed'];

const BY_STATUS: Record<ExecutionStatus, Outcome> = {
  filled: 'success',
  partial: 'partial',
  hedged: 'recovered',
  unwound: 'recovered',
  exposed: 'failed',
  rejected: 'failed',
  failed: 'failed',
  expired: 'not_executed',
  skipped: 'not_executed',
};

export function outcomeOf(status: ExecutionStatus): Outcome {
  return BY_STATUS[status];
}
