import Big from 'big.js';
import type { ExecutionStatus } from '@arb/contracts';
import { anyFilled } from './fills';
import type { LegOutcome } from './types';

/** Final status of a trade from its legs and what leg-risk resolution left behind. */
export function classify(
  legs: readonly LegOutcome[],
  size: string,
  residual: { tradeable: boolean },
): { status: ExecutionStatus; reason?: string } {
  const base = legs.filter((l) => l.plan.role === 'buy' || l.plan.role === 'sell');
  if (!anyFilled(legs)) {
    const rejected = base.filter((l) => l.status === 'rejected');
    if (rejected.length > 0) return { status: 'rejected', reason: reasons(rejected) };
    const unknown = base.filter((l) => l.status === 'unknown');
    if (unknown.length > 0) return { status: 'failed', reason: `outcome unknown: ${reasons(unknown)}` };
    return { status: 'failed', reason: 'no fill (IOC orders expired unfilled)' };
  }
  if (residual.tradeable) return { status: 'exposed', reason: reasons(legs.filter((l) => l.error !== undefined || l.status !== 'filled')) };
  const filledExtra = (role: 'hedge' | 'unwind'): boolean => anyFilled(legs.filter((l) => l.plan.role === role));
  if (filledExtra('unwind')) return { status: 'unwound' };
  if (filledExtra('hedge')) return { status: 'hedged' };
  const full = base.length === 2 && base.every((l) => l.state !== null && new Big(l.state.filledQty).gte(size));
  return full ? { status: 'filled' } : { status: 'partial' };
}

function reasons(legs: readonly LegOutcome[]): string {
  const s = legs.map((l) => `${l.plan.tag}@${l.plan.venue}: ${l.error ?? l.status}`).join('; ');
  return s.length > 500 ? `${s.slice(0, 497)}...` : s;
}
