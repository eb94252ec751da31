import type { ExecutionLeg } from '@arb/contracts';
import type { OrderSide, OrderState } from '@arb/venues';
import type { LegTag } from '../ids';

export type LegRole = ExecutionLeg['role'];
export type LegStatus = ExecutionLeg['status'];

/** One order the executor intends to send (persisted in the in-flight record before it leaves). */
export interface LegPlan {
  role: LegRole;
  tag: LegTag;
  venue: string;
  symbol: string;
  side: OrderSide;
  qty: string;
  limitPrice: string;
  clientOrderId: string;
}

/** What became of one order: the venue's last known state (null if the venue never knew it). */
export interface LegOutcome {
  plan: LegPlan;
  state: OrderState | null;
  status: LegStatus;
  sentTs: number;
  ackTs: number | null;
  finalTs: number | null;
  error?: string;
}
