import { isLatencySummary, type LatencySummary } from '../lib/latency';

/**
 * Parent → trigger-subscriber worker. The worker follows `bookSubjects` (BookSnapshots: it remembers each one's
 * pubTs/recvTs by venue and seq) and `targetSubject`, whose messages are Opportunities (the triggering book is the
 * newer of the two they name) or relayed BookSnapshots (the floor), and times each target against its trigger.
 */
export type TriggerCommand =
  | { readonly type: 'start'; readonly url: string; readonly bookSubjects: readonly string[]; readonly targetSubject: string }
  | { readonly type: 'reset' }
  | { readonly type: 'slice' }
  | { readonly type: 'stop' };

/** Latencies (ms) of one slice: `pub` = now − trigger pubTs, `recv` = now − trigger recvTs. */
export interface TriggerSlice {
  readonly type: 'slice';
  readonly pub: LatencySummary;
  readonly recv: LatencySummary;
}

/**
 * The whole run: `pub` and `recv` as in a slice; for Opportunities also `detect` = detectedTs − trigger pubTs (first
 * hop plus the detector's work, two clocks) and `deliver` = now − detectedTs (publish through JetStream to here).
 */
export interface TriggerReport {
  readonly type: 'report';
  readonly books: number;
  readonly targets: number;
  /** Targets whose triggering book was never seen (should be 0). */
  readonly unmatched: number;
  readonly invalid: number;
  readonly pub: LatencySummary;
  readonly recv: LatencySummary;
  readonly detect: LatencySummary;
  readonly deliver: LatencySummary;
}

export type TriggerEvent = { readonly type: 'ready' } | TriggerSlice | TriggerReport;

export function isTriggerCommand(v: unknown): v is TriggerCommand {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  if (o.type === 'start') {
    return typeof o.url === 'string' && typeof o.targetSubject === 'string' && Array.isArray(o.bookSubjects) && o.bookSubjects.every((s) => typeof s === 'string');
  }
  return o.type === 'reset' || o.type === 'slice' || o.type === 'stop';
}

export const isReady = (v: unknown): v is { type: 'ready' } => typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'ready';

export function isTriggerSlice(v: unknown): v is TriggerSlice {
  const o = v as Record<string, unknown>;
  return typeof v === 'object' && v !== null && o.type === 'slice' && isLatencySummary(o.pub) && isLatencySummary(o.recv);
}

export function isTriggerReport(v: unknown): v is TriggerReport {
  const o = v as Record<string, unknown>;
  return (
    typeof v === 'object' &&
    v !== null &&
    o.type === 'report' &&
    ['books', 'targets', 'unmatched', 'invalid'].every((k) => typeof o[k] === 'number') &&
    [o.pub, o.recv, o.detect, o.deliver].every(isLatencySummary)
  );
}
