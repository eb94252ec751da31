import { subjects } from '@arb/contracts';
import { connect } from '@nats-io/transport-node';
import { nowMs, sleep } from '../lib/clock';
import { pace } from '../lib/pacer';
import { BookLatencyTap } from './book-tap';
import { FLOOR_SYMBOL, sampleBookSnapshot } from './book-payload';
import { RemoteSubscriber } from './remote-subscriber';
import type { SubscriberReport } from './subscriber-protocol';

/** Venue token of the floor's own subject, so floor traffic never mixes with a real feed's. */
const FLOOR_SUBJECT_VENUE = 'benchfloor';

export type HopMode = 'same-process' | 'cross-process';

export interface NatsHopOptions {
  readonly url: string;
  readonly mode: HopMode;
  readonly ratePerSec: number;
  readonly count: number;
  /** Messages at the start whose latencies are dropped (connection and JIT warm-up). */
  readonly warmup: number;
}

export interface NatsHopResult extends SubscriberReport {
  readonly mode: HopMode;
  readonly ratePerSec: number;
  readonly sent: number;
  readonly payloadBytes: number;
}

/**
 * The floor of any BookSnapshot path: publisher → one local nats-server → subscriber, at a fixed rate, payload a
 * realistic ~1.5 KB BookSnapshot whose pubTs/recvTs are stamped right before JSON encoding. The subscriber runs on
 * its own connection in this process, or in a separate process (a real deployment).
 */
export async function measureNatsHop(opts: NatsHopOptions): Promise<NatsHopResult> {
  const subject = subjects.book(FLOOR_SUBJECT_VENUE, FLOOR_SYMBOL);
  const pub = await connect({ servers: opts.url, name: 'bench-floor-publisher' });
  const local = opts.mode === 'same-process' ? await connect({ servers: opts.url, name: 'bench-floor-subscriber' }) : undefined;
  let remote: RemoteSubscriber | undefined;
  try {
    const tap = new BookLatencyTap();
    if (local !== undefined) {
      local.subscribe(subject, { callback: (err, msg) => (err === null ? tap.onMessage(msg.data) : undefined) });
      await local.flush();
    } else {
      remote = await RemoteSubscriber.start(opts.url, subject);
    }
    const snap = sampleBookSnapshot();
    const payloadBytes = Buffer.byteLength(JSON.stringify(snap));
    const { sent } = await pace(opts.ratePerSec, opts.count, (i) => {
      if (i === opts.warmup) {
        if (remote !== undefined) remote.reset();
        else tap.resetLatencies();
      }
      const t = nowMs();
      snap.seq = i;
      snap.venueSeq = i;
      snap.venueTs = Math.floor(t);
      snap.recvTs = t;
      snap.pubTs = t;
      pub.publish(subject, JSON.stringify(snap));
    });
    await pub.flush();
    await sleep(100); // the last messages are in flight to the subscriber
    const report = remote !== undefined ? await remote.stop() : tap.report();
    remote = undefined;
    return { ...report, mode: opts.mode, ratePerSec: opts.ratePerSec, sent, payloadBytes };
  } finally {
    remote?.kill();
    await local?.close();
    await pub.close();
  }
}
