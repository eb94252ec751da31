import { WebSocket } from 'ws';
import type { Corrupter } from '../faults/corrupt';
import type { VenueFaults } from '../faults/venue-faults';
import type { VenueStats } from './stats';

/**
 * The sending side of one WebSocket connection, with the venue's faults applied:
 * freeze (send nothing), drop, corrupt (replace), delay (stall the connection, keeping order),
 * and a slow-consumer cut-off.
 */
export class Outbound {
  private queue: string[] | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ws: WebSocket,
    private readonly faults: VenueFaults,
    private readonly stats: VenueStats,
    private readonly maxBufferedBytes: number,
  ) {}

  /** A market-data message: subject to every fault. Returns false when it was not sent. */
  data(text: string, corrupter: Corrupter): boolean {
    const { faults, stats } = this;
    if (faults.frozen) {
      stats.messagesFrozen++;
      return false;
    }
    const f = faults.current;
    if (faults.chance(f.dropRate)) {
      stats.messagesDropped++;
      return false;
    }
    let out = text;
    if (faults.chance(f.corruptRate)) {
      const c = corrupter.corrupt(text, faults.rng);
      out = c.text;
      stats.messagesCorrupted++;
      stats.corruptedByKind[c.kind] = (stats.corruptedByKind[c.kind] ?? 0) + 1;
    }
    if (f.delayMs > 0 && faults.chance(f.delayRate)) {
      stats.messagesDelayed++;
      this.stall(f.delayMs);
    }
    this.write(out);
    return true;
  }

  /** A protocol message (acks, heartbeats, errors): only a freeze stops it. */
  control(text: string): void {
    if (this.faults.frozen) {
      this.stats.messagesFrozen++;
      return;
    }
    this.write(text);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue = null;
  }

  private write(text: string): void {
    if (this.queue) this.queue.push(text);
    else this.send(text);
  }

  private stall(ms: number): void {
    this.queue ??= [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), ms);
  }

  private flush(): void {
    const q = this.queue;
    this.queue = null;
    this.timer = null;
    if (q) for (const t of q) this.send(t);
  }

  private send(text: string): void {
    const ws = this.ws;
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > this.maxBufferedBytes) {
      this.stats.slowConsumerDisconnects++;
      ws.terminate();
      return;
    }
    ws.send(text);
    this.stats.messagesSent++;
  }
}
