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

/**
 * A feed's state sequence for the report: in full when short, else how often it left `live` and through which
 * states (`left live 51 times: resyncing ×51`).
 */
export function statesText(states: readonly string[]): string {
  if (states.length === 0) return 'stayed live';
  if (states.length <= 10) return states.join(' → ');
  const via = new Map<string, number>();
  for (const s of states) if (s !== 'live') via.set(s, (via.get(s) ?? 0) + 1);
  const left = states.filter((s, i) => s !== 'live' && (i === 0 || states[i - 1] === 'live')).length;
  return `left live ${left} times (${[...via].map(([s, n]) => `${s} ×${n}`).join(', ')}), ended ${states[states.length - 1] ?? ''}`;
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
