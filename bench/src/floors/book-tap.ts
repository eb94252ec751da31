import { validators } from '@arb/contracts';
import { nowMs } from '../lib/clock';
import { LatencyRecorder } from '../lib/latency';
import type { SliceReport, SubscriberReport } from './subscriber-protocol';

const decoder = new TextDecoder();

/** Every n-th message is also checked against the full BookSnapshot schema (after timing, so it costs nothing). */
const VALIDATE_EVERY = 100;

/**
 * Measures BookSnapshots as they arrive: stamps `now` first, then parses and records now - pubTs, now - recvTs and
 * pubTs - recvTs. Used by the out-of-process subscriber and by same-process measurements alike.
 */
export class BookLatencyTap {
  readonly pub = new LatencyRecorder();
  readonly recv = new LatencyRecorder();
  readonly internal = new LatencyRecorder();
  /** The same, since the last `takeSlice()`. */
  private readonly slice = { pub: new LatencyRecorder(), recv: new LatencyRecorder(), internal: new LatencyRecorder() };
  received = 0;
  invalid = 0;
  maxVenueSeq = -1;
  outOfOrder = 0;
  /** Receive time (epoch ms) and venueSeq of the last message. */
  lastAt = 0;

  onMessage(data: Uint8Array): void {
    const now = nowMs();
    this.received++;
    let msg: unknown;
    try {
      msg = JSON.parse(decoder.decode(data));
    } catch {
      this.invalid++;
      return;
    }
    if (typeof msg !== 'object' || msg === null) {
      this.invalid++;
      return;
    }
    const { pubTs, recvTs, venueSeq } = msg as Record<string, unknown>;
    if (typeof pubTs !== 'number' || typeof recvTs !== 'number' || typeof venueSeq !== 'number') {
      this.invalid++;
      return;
    }
    this.pub.record(now - pubTs);
    this.recv.record(now - recvTs);
    this.internal.record(pubTs - recvTs);
    this.slice.pub.record(now - pubTs);
    this.slice.recv.record(now - recvTs);
    this.slice.internal.record(pubTs - recvTs);
    if (venueSeq < this.maxVenueSeq) this.outOfOrder++;
    else this.maxVenueSeq = venueSeq;
    this.lastAt = now;
    if (this.received % VALIDATE_EVERY === 1 && !validators.BookSnapshot.check(msg)) this.invalid++;
  }

  /** Forgets latencies recorded so far (warm-up); counters of messages stay. */
  resetLatencies(): void {
    for (const r of [this.pub, this.recv, this.internal, this.slice.pub, this.slice.recv, this.slice.internal]) r.reset();
  }

  /** Latencies since the previous slice; starts the next one. */
  takeSlice(): SliceReport {
    const out: SliceReport = { type: 'slice', pub: this.slice.pub.summary(), recv: this.slice.recv.summary(), internal: this.slice.internal.summary() };
    this.slice.pub.reset();
    this.slice.recv.reset();
    this.slice.internal.reset();
    return out;
  }

  report(): SubscriberReport {
    return {
      type: 'report',
      received: this.received,
      invalid: this.invalid,
      maxVenueSeq: this.maxVenueSeq,
      outOfOrder: this.outOfOrder,
      pub: this.pub.summary(),
      recv: this.recv.summary(),
      internal: this.internal.summary(),
    };
  }
}
