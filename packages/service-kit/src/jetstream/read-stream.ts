import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/**
 * Every message stored in `stream` now, from its first, each through `decode` (which throws on a bad message):
 * an ordered ephemeral consumer, deleted afterwards. For audits and tests that must read the stream itself
 * (e.g. the ARB_EXECS journal), not what core-NATS subscribers happened to see.
 */
export async function readStream<T>(nc: NatsConnection, stream: string, decode: (data: Uint8Array) => T, timeoutMs = 5_000): Promise<T[]> {
  const c = await jetstream(nc).consumers.get(stream, { deliver_policy: DeliverPolicy.All });
  try {
    const pending = (await c.info(true)).num_pending;
    const out: T[] = [];
    if (pending === 0) return out;
    const msgs = await c.fetch({ max_messages: pending, expires: timeoutMs });
    for await (const m of msgs) {
      out.push(decode(m.data));
      if (m.info.pending === 0) break;
    }
    return out;
  } finally {
    await c.delete().catch(() => undefined);
  }
}
