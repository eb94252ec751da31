import type { ExecutionReport } from '@arb/contracts';

/**
 * One trade's view of its journal entries: the trade's report with the legs of its corrections added (a correction
 * carries only what was missing, and may name an order the report did not hold), and the status as corrected.
 * Keeping only the last entry would drop the report's own orders once a correction arrives.
 */
export function mergeReport(prev: ExecutionReport | undefined, next: ExecutionReport): ExecutionReport {
  if (prev === undefined) return next;
  if (prev.corrects === undefined && next.corrects === undefined) return prev; // a redelivery of the same report
  const [base, extra] = prev.corrects !== undefined && next.corrects === undefined ? [next, prev] : [prev, next];
  const known = new Set(base.legs.map((l) => `${l.venue}/${l.clientOrderId}`));
  const added = extra.legs.filter((l) => !known.has(`${l.venue}/${l.clientOrderId}`));
  const corrected = next.corrects !== undefined ? next : prev;
  return { ...base, status: corrected.status, legs: [...base.legs, ...added] };
}
