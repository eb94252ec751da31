import type { FaultContext, Venue } from '../context';

/** The intervals in [from, to] during which `venue`'s feed was not live, from its FeedStatus messages. */
export function outages(ctx: FaultContext, venue: Venue, from: number, to: number): { states: string[]; longestMs: number; count: number } {
  const states = ctx.recorder.statesOf(venue, from).filter((s) => s.at <= to);
  let longestMs = 0;
  let count = 0;
  let since: number | undefined;
  for (const s of states) {
    if (s.state !== 'live' && since === undefined) since = s.at;
    if (s.state === 'live' && since !== undefined) {
      longestMs = Math.max(longestMs, s.at - since);
      count++;
      since = undefined;
    }
  }
  if (since !== undefined) longestMs = Math.max(longestMs, to - since);
  return { states: states.map((s) => s.state), longestMs, count };
}

/** Differences of the FeedStatus counters of `venue` between two readings. */
export function counterDelta(
  before: Readonly<Record<string, number>> | undefined,
  after: Readonly<Record<string, number>> | undefined,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after ?? {})) out[k] = v - (before?.[k] ?? 0);
  return out;
}
