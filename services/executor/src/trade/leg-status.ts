import Big from 'big.js';
import type { OrderState } from '@arb/venues';
import type { LegStatus } from './types';

/** Normalized final status of a leg for the report. */
export function legStatus(state: OrderState | null): LegStatus {
  if (state === null) return 'unknown';
  if (state.status === 'rejected') return 'rejected';
  const filled = new Big(state.filledQty);
  if (filled.gt(0) && filled.gte(state.requestedQty)) return 'filled';
  if (!state.final) return filled.gt(0) ? 'partially_filled' : 'unknown';
  if (filled.gt(0)) return 'partially_filled';
  return 'unfilled';
}
