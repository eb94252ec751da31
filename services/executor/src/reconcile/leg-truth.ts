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

/**
 * The venue's truth about one leg of a crashed trade: looked up by client order id, cancelled if still open. An
 * order the venue does not know never arrived (nothing filled). Throws VenueQueryError when the venue can't answer.
 */
export async function legTruth(client: VenueTradingClient | undefined, leg: InflightRecord['legs'][number], sentTs: number, now: () => number): Promise<LegOutcome> {
  const plan = { ...leg, tag: leg.tag as LegOutcome['plan']['tag'] };
  if (client === undefined) throw new VenueQueryError(`no trading client for venue ${leg.venue}`);
  let state: OrderState | null;
  try {
    state = await client.getOrder(leg.symbol, leg.clientOrderId);
    if (state !== null && !state.final) state = await client.cancelOrder(leg.symbol, leg.clientOrderId);
  } catch (err) {
    if (!(err instanceof OrderNotFoundError)) throw new VenueQueryError(`${leg.venue} ${leg.clientOrderId}: ${(err as Error).message}`, { cause: err });
    state = null;
  }
  const outcome: LegOutcome = {
    plan,
    state,
    status: state === null ? 'unfilled' : legStatus(state),
    sentTs,
    ackTs: null,
    finalTs: state?.final === true ? now() : null,
  };
  if (state === null) outcome.error = 'not known to the venue (never arrived)';
  return outcome;
}
