import { nowMs } from '../lib/clock';
import { LatencyRecorder } from '../lib/latency';
import type { TriggerReport, TriggerSlice } from './trigger-protocol';

const decoder = new TextDecoder();

/** Books remembered for matching; a target comes a few ms after its trigger, so a small window is plenty. */
const MAX_REMEMBERED = 50_000;

interface Stamp {
  readonly pubTs: number;
  readonly recvTs: number;
}

type Json = Record<string, unknown>;

function parse(data: Uint8Array): Json | undefined {
  try {
    const v: unknown = JSON.parse(decoder.decode(data));
    return typeof v === 'object' && v !== null ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** `venue|seq` of the book that triggered a target: the newer of an Opportunity's two books, or the book itself. */
export function triggerKey(msg: Json): { key: string; detectedTs: number | undefined } | undefined {
  const books = msg.books as Json | undefined;
  if (typeof books === 'object' && books !== null) {
    const b = books.buy as Json | undefined;
    const s = books.sell as Json | undefined;
    const buy = msg.buy as Json | undefined;
    const sell = msg.sell as Json | undefined;
    const bRecv = num(b?.recvTs);
    const sRecv = num(s?.recvTs);
    if (bRecv === undefined || sRecv === undefined) return undefined;
    const [side, venue] = bRecv >= sRecv ? [b, buy?.venue] : [s, sell?.venue];
    const seq = num(side?.seq);
    if (typeof venue !== 'string' || seq === undefined) return undefined;
    return { key: `${venue}|${seq}`, detectedTs: num(msg.detectedTs) };
  }
  const seq = num(msg.seq);
  return typeof msg.venue === 'string' && seq !== undefined ? { key: `${msg.venue}|${seq}`, detectedTs: undefined } : undefined;
}

/**
 * Times targets (Opportunities, or relayed books for the floor) against the BookSnapshot that triggered them: stamps
 * `now` on arrival, before parsing. Books are remembered by venue and seq from their own subscription.
 */
export class TriggerTap {
  private readonly stamps = new Map<string, Stamp>();
  private readonly all = { pub: new LatencyRecorder(), recv: new LatencyRecorder(), detect: new LatencyRecorder(), deliver: new LatencyRecorder() };
  private readonly slice = { pub: new LatencyRecorder(), recv: new LatencyRecorder() };
  books = 0;
  targets = 0;
  unmatched = 0;
  invalid = 0;

  onBook(data: Uint8Array): void {
    const msg = parse(data);
    const pubTs = num(msg?.pubTs);
    const recvTs = num(msg?.recvTs);
    const seq = num(msg?.seq);
    if (msg === undefined || pubTs === undefined || recvTs === undefined || seq === undefined || typeof msg.venue !== 'string') {
      this.invalid++;
      return;
    }
    this.books++;
    this.stamps.set(`${msg.venue}|${seq}`, { pubTs, recvTs });
    if (this.stamps.size > MAX_REMEMBERED) {
      const oldest = this.stamps.keys().next();
      if (oldest.done !== true) this.stamps.delete(oldest.value);
    }
  }

  onTarget(data: Uint8Array): void {
    const now = nowMs();
    const msg = parse(data);
    const t = msg === undefined ? undefined : triggerKey(msg);
    if (t === undefined) {
      this.invalid++;
      return;
    }
    this.targets++;
    const stamp = this.stamps.get(t.key);
    if (stamp === undefined) {
      this.unmatched++;
      return;
    }
    this.all.pub.record(now - stamp.pubTs);
    this.all.recv.record(now - stamp.recvTs);
    this.slice.pub.record(now - stamp.pubTs);
    this.slice.recv.record(now - stamp.recvTs);
    if (t.detectedTs !== undefined) {
      this.all.detect.record(t.detectedTs - stamp.pubTs);
      this.all.deliver.record(now - t.detectedTs);
    }
  }

  /** Forgets latencies so far (warm-up); counters stay. */
  resetLatencies(): void {
    for (const r of [...Object.values(this.all), ...Object.values(this.slice)]) r.reset();
  }

  takeSlice(): TriggerSlice {
    const out: TriggerSlice = { type: 'slice', pub: this.slice.pub.summary(), recv: this.slice.recv.summary() };
    this.slice.pub.reset();
    this.slice.recv.reset();
    return out;
  }

  report(): TriggerReport {
    return {
      type: 'report',
      books: this.books,
      targets: this.targets,
      unmatched: this.unmatched,
      invalid: this.invalid,
      pub: this.all.pub.summary(),
      recv: this.all.recv.summary(),
      detect: this.all.detect.summary(),
      deliver: this.all.deliver.summary(),
    };
  }
}
