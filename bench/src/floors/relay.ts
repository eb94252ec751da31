/**
 * Worker entry (forked by RelayFloor): the do-nothing middle process of the two-hop floor. Subscribes to `from` and
 * re-publishes every message unchanged on `to`, on one NATS connection, as a detector would publish its answer:
 * what any service between a publisher and a subscriber costs before it does any work.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { exitWithParent, reply } from '../lib/forked';

let nc: NatsConnection | undefined;

async function start(url: string, from: readonly string[], to: string): Promise<void> {
  const c = await connect({ servers: url, name: 'bench-relay' });
  nc = c;
  for (const s of from) c.subscribe(s, { callback: (err, msg) => (err === null ? c.publish(to, msg.data) : undefined) });
  await c.flush();
  reply({ type: 'ready' });
}

process.on('message', (m: unknown) => {
  if (typeof m !== 'object' || m === null) return;
  const o = m as Record<string, unknown>;
  if (o.type === 'start' && typeof o.url === 'string' && typeof o.to === 'string' && Array.isArray(o.from)) {
    start(o.url, o.from.map(String), o.to).catch((error: unknown) => {
      reply({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      process.exitCode = 1;
      process.disconnect?.();
    });
  }
});
exitWithParent(async () => {
  await nc?.close();
});
