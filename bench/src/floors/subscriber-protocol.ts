import { isLatencySummary, type LatencySummary } from '../lib/latency';

/** Parent → latency-subscriber child. */
export type SubscriberCommand =
  | { readonly type: 'start'; readonly url: string; readonly subject: string }
  /** Forget what was recorded so far (end of warm-up). */
  | { readonly type: 'reset' }
  /** Report the latencies recorded since the last slice (or reset) and start a new slice. */
  | { readonly type: 'slice' }
  /** Flush, report, exit. */
  | { readonly type: 'stop' };

/**
 * Latencies measured by the subscriber, all `now - <field>` in ms on receipt of a BookSnapshot:
 * `pub` = now - pubTs (one NATS hop, publisher clock to subscriber clock), `recv` = now - recvTs (frame received
 * by the publisher to here), and `internal` = pubTs - recvTs (inside the publisher, one clock).
 */
export interface SubscriberReport {
  readonly type: 'report';
  readonly received: number;
  readonly invalid: number;
  readonly maxVenueSeq: number;
  readonly outOfOrder: number;
  readonly pub: LatencySummary;
  readonly recv: LatencySummary;
  readonly internal: LatencySummary;
}

/** Latencies of one slice (see SubscriberReport for the fields). */
export interface SliceReport {
  readonly type: 'slice';
  readonly pub: LatencySummary;
  readonly recv: LatencySummary;
  readonly internal: LatencySummary;
}

export type SubscriberEvent = { readonly type: 'ready' } | { readonly type: 'error'; readonly message: string } | SubscriberReport | SliceReport;

export function isSubscriberEvent(v: unknown): v is SubscriberEvent {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  if (o.type === 'ready') return true;
  if (o.type === 'error') return typeof o.message === 'string';
  if (o.type === 'slice') return isLatencySummary(o.pub) && isLatencySummary(o.recv) && isLatencySummary(o.internal);
  return (
    o.type === 'report' &&
    typeof o.received === 'number' &&
    typeof o.maxVenueSeq === 'number' &&
    isLatencySummary(o.pub) &&
    isLatencySummary(o.recv) &&
    isLatencySummary(o.internal)
  );
}

export function isSubscriberCommand(v: unknown): v is SubscriberCommand {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  if (o.type === 'start') return typeof o.url === 'string' && typeof o.subject === 'string';
  return o.type === 'reset' || o.type === 'slice' || o.type === 'stop';
}
