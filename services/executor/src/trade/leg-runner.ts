import { isOutcomeUnknown, OrderNotFoundError, VenueError, type OrderState, type VenueTradingClient } from '@arb/venues';
import { legStatus } from './leg-status';
import { newerState, type OrderTracker } from './order-tracker';
import type { LegOutcome, LegPlan } from './types';

export interface LegRunnerDeps {
  client(venue: string): VenueTradingClient;
  tracker: OrderTracker;
  now(): number;
  pollIntervalMs: number;
  /** Called when the venue answered the order request (sent → ack latency). */
  onAck?(plan: LegPlan, sentTs: number, ackTs: number): void;
}

/**
 * Sends one IOC limit order and follows it to a final state: the order response, private-stream updates and
 * getOrder polling, whichever first; at `deadline` whatever is still open is cancelled. Never throws: every failure
 * ends in an outcome (a refused order is `rejected`; an order whose fate stayed unknown is `unknown`).
 */
export async function runLeg(deps: LegRunnerDeps, plan: LegPlan, deadline: number): Promise<LegOutcome> {
  const client = deps.client(plan.venue);
  const watch = deps.tracker.watch(plan.venue, plan.clientOrderId);
  const sentTs = deps.now();
  let state: OrderState | null = null;
  let ackTs: number | null = null;
  let error: string | undefined;
  try {
    const placed = client.placeIocLimit({
      symbol: plan.symbol,
      side: plan.side,
      qty: plan.qty,
      limitPrice: plan.limitPrice,
      clientOrderId: plan.clientOrderId,
    });
    state = await placed;
    ackTs = deps.now();
    deps.onAck?.(plan, sentTs, ackTs);
    state = newerState(state, watch.latest);
  } catch (err) {
    error = describe(err);
    if (!isOutcomeUnknown(err) && err instanceof VenueError) {
      // The venue (or the client's own filter check) refused it: nothing executed.
      watch.close();
      return { plan, state: null, status: 'rejected', sentTs, ackTs: deps.now(), finalTs: deps.now(), error };
    }
  }
  try {
    state = await follow(deps, client, plan, watch, state, deadline);
    if (state === null || !state.final) state = await cancel(client, plan, state, (e) => (error ??= e));
  } finally {
    watch.close();
  }
  const status = legStatus(state);
  return { plan, state, status, sentTs, ackTs, finalTs: state?.final === true ? deps.now() : null, ...(error !== undefined ? { error } : {}) };
}

async function follow(
  deps: LegRunnerDeps,
  client: VenueTradingClient,
  plan: LegPlan,
  watch: { latest: OrderState | null; next(ms: number): Promise<boolean> },
  initial: OrderState | null,
  deadline: number,
): Promise<OrderState | null> {
  let state = initial;
  while (state?.final !== true) {
    const left = deadline - deps.now();
    if (left <= 0) break;
    const woke = await watch.next(Math.min(deps.pollIntervalMs, left));
    state = newerState(state, watch.latest);
    if (state?.final === true || woke) continue;
    try {
      state = newerState(state, await client.getOrder(plan.symbol, plan.clientOrderId));
    } catch {
      // Venue slow or down: keep following until the deadline, then cancel.
    }
  }
  return state;
}

async function cancel(
  client: VenueTradingClient,
  plan: LegPlan,
  state: OrderState | null,
  onError: (e: string) => void,
): Promise<OrderState | null> {
  try {
    return newerState(state, await client.cancelOrder(plan.symbol, plan.clientOrderId));
  } catch (err) {
    if (!(err instanceof OrderNotFoundError)) onError(describe(err));
  }
  try {
    // Cancel failed or the order is unknown to the venue: one last look at its truth.
    return newerState(state, await client.getOrder(plan.symbol, plan.clientOrderId));
  } catch (err) {
    onError(describe(err));
    return state;
  }
}

function describe(err: unknown): string {
  const s = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return s.length > 500 ? `${s.slice(0, 497)}...` : s;
}
