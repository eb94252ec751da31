/**
 * Child process entry (forked with IPC by RemoteSubscriber): subscribes to one subject on its own NATS
 * connection and measures BookSnapshot latencies with a BookLatencyTap, so the subscriber runs on its own event
 * loop like a real detector. Exits when told to stop or when the parent goes away.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { BookLatencyTap } from './book-tap';
import { isSubscriberCommand, type SubscriberEvent } from './subscriber-protocol';

const tap = new BookLatencyTap();
let nc: NatsConnection | undefined;

function send(event: SubscriberEvent): void {
  process.send?.(event);
}

async function start(url: string, subject: string): Promise<void> {
  nc = await connect({ servers: url, name: 'bench-latency-subscriber' });
  nc.subscribe(subject, { callback: (err, msg) => (err === null ? tap.onMessage(msg.data) : undefined) });
  await nc.flush();
  send({ type: 'ready' });
}

async function stop(): Promise<void> {
  if (nc !== undefined) await nc.flush();
  send(tap.report());
  await nc?.close();
  process.disconnect?.();
}

function fail(error: unknown): void {
  send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
}

process.on('message', (m: unknown) => {
  if (!isSubscriberCommand(m)) return;
  if (m.type === 'start') start(m.url, m.subject).catch(fail);
  else if (m.type === 'reset') tap.resetLatencies();
  else if (m.type === 'slice') send(tap.takeSlice());
  else stop().catch(fail);
});
// Parent gone (or done with us): leave, whatever is still open.
process.on('disconnect', () => {
  void nc?.close().finally(() => process.exit());
  setTimeout(() => process.exit(), 1000).unref();
});
