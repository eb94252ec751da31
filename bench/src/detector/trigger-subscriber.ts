/**
 * Worker entry (forked by RemoteTrigger): one NATS connection subscribed to the trigger books and to the target
 * subject; times every target against its triggering book (TriggerTap). Runs on its own event loop like a real
 * consumer of opportunities.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { exitWithParent, reply } from '../lib/forked';
import { TriggerTap } from './trigger-tap';
import { isTriggerCommand } from './trigger-protocol';

const tap = new TriggerTap();
let nc: NatsConnection | undefined;

async function start(url: string, bookSubjects: readonly string[], targetSubject: string): Promise<void> {
  nc = await connect({ servers: url, name: 'bench-trigger-subscriber' });
  for (const s of bookSubjects) nc.subscribe(s, { callback: (err, msg) => (err === null ? tap.onBook(msg.data) : undefined) });
  nc.subscribe(targetSubject, { callback: (err, msg) => (err === null ? tap.onTarget(msg.data) : undefined) });
  await nc.flush();
  reply({ type: 'ready' });
}

async function stop(): Promise<void> {
  if (nc !== undefined) await nc.flush();
  reply({ ...tap.report() });
  await nc?.close();
  process.disconnect?.();
}

function fail(error: unknown): void {
  reply({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
}

process.on('message', (m: unknown) => {
  if (!isTriggerCommand(m)) return;
  if (m.type === 'start') start(m.url, m.bookSubjects, m.targetSubject).catch(fail);
  else if (m.type === 'reset') tap.resetLatencies();
  else if (m.type === 'slice') reply({ ...tap.takeSlice() });
  else stop().catch(fail);
});
exitWithParent(async () => {
  await nc?.close();
});
