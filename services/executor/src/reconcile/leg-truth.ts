import { OrderNotFoundError, type OrderState, type VenueTradingClient } from '@arb/venues';
import type { InflightRecord } from '../inflight/record';
import { legStatus } from '../trade/leg-status';
import type { LegOutcome } from '../trade/types';

/** A venue could not be asked (down, unknown to this process): try the record again later. */
export class VenueQueryError extends Error {
  override readonly name = 'VenueQueryError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** One leg's truth, and whether it is settled: false while its outcome may still change (see legTruth). */
export interface LegTruth {
  outcome: LegOutcome;
  decided: boolean;
}

/**
 * The venue's truth about one recorded order: looked up by client order id, cancelled if still open. The venue not
 * knowing the order means "never arrived" (nothing filled) only once `notFoundGraceMs` passed since it was sent
 * (`leg.ts`, else the record's `sentTs`): a request delayed on its way may still reach the venue and execute. Until
 * then the leg is `unknown` and not decided; so is an order the cancel could not make final. Throws VenueQueryError
 * when the venue can't answer.
 */
export async function legTruth(
  client: VenueTradingClient | undefined,
  leg: InflightRecord['legs'][number],
  sentTs: number,
  now: () => number,
  notFoundGraceMs: number,
): Promise<LegTruth> {
  const { ts, ...rest } = leg;
  const plan = { ...rest, tag: leg.tag as LegOutcome['plan']['tag'] };
  const sent = ts ?? sentTs;
  if (client === undefined) throw new VenueQueryError(`no trading client for venue ${leg.venue}`);
  let state: OrderState | null;
  try {
    state = await client.getOrder(leg.symbol, leg.clientOrderId);
    if (state !== null && !state.final) state = await client.cancelOrder(leg.symbol, leg.clientOrderId);
  } catch (err) {
    if (!(err instanceof OrderNotFoundError)) throw new VenueQueryError(`${leg.venue} ${leg.clientOrderId}: ${(err as Error).message}`, { cause: err });
    state = null;
  }
  if (state === null) {
    const neverArrived = now() - sent >= notFoundGraceMs;
    const outcome: LegOutcome = {
      plan,
      state: null,
      status: neverArrived ? 'unfilled' : 'unknown',
      sentTs: sent,
      ackTs: null,
      finalTs: null,
      error: neverArrived ? `not known to the venue ${Math.round(now() - sent)} ms after it was sent (never arrived)` : 'not known to the venue yet',
    };
    return { outcome, decided: neverArrived };
  }
  return { outcome: { plan, state, status: legStatus(state), sentTs: sent, ackTs: null, finalTs: state.final ? now() : null }, decided: state.final };
}
