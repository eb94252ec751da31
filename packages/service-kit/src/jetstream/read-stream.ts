import { DeliverPolicy, jetstream, JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

export interface ReadStreamOptions {
  /** How long one read may wait for the stream's messages (ms). Default 5 s. */
  timeoutMs?: number;
  /**
   * How long to keep retrying a read that failed on the server's side (ms). On a cluster, a request sent while the
   * stream's or the meta group's leader is being elected gets no answer, and for some seconds after a node dies the
   * ephemeral consumer a read needs may be placed on the dead node (nats-server 2.9: 5-10 s); a later one is not.
   * Default 30 s.
   */
  retryForMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every message stored in `stream` now, from its first, each through `decode` (which throws on a bad message):
 * an ordered ephemeral consumer, deleted afterwards. For audits and tests that must read the stream itself
 * (e.g. the ARB_EXECS journal), not what core-NATS subscribers happened to see. A read the server did not answer is
 * retried from the start for `retryForMs`; a missing stream and a message `decode` rejects are not retried.
 */
export async function readStream<T>(nc: NatsConnection, stream: string, decode: (data: Uint8Array) => T, opts: ReadStreamOptions | number = {}): Promise<T[]> {
  const o = typeof opts === 'number' ? { timeoutMs: opts } : opts;
  const deadline = Date.now() + (o.retryForMs ?? 30_000);
  for (;;) {
    let raw: Uint8Array[];
    try {
      raw = await readRaw(nc, stream, o.timeoutMs ?? 5_000);
    } catch (error) {
      const permanent = error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound;
      if (permanent || nc.isClosed() || Date.now() >= deadline) throw error;
      await sleep(250);
      continue;
    }
    return raw.map(decode);
  }
}

/** JetStream API calls of one read give up after this long (ms), so that a retry comes soon after a lost request. */
const API_TIMEOUT_MS = 2_000;

async function readRaw(nc: NatsConnection, stream: string, timeoutMs: number): Promise<Uint8Array[]> {
  const c = await jetstream(nc, { timeout: Math.min(API_TIMEOUT_MS, timeoutMs) }).consumers.get(stream, { deliver_policy: DeliverPolicy.All });
  try {
    const pending = (await c.info(true)).num_pending;
    const out: Uint8Array[] = [];
    if (pending === 0) return out;
    const msgs = await c.fetch({ max_messages: pending, expires: timeoutMs });
    for await (const m of msgs) {
      out.push(m.data);
      if (m.info.pending === 0) break;
    }
    return out;
  } finally {
    await c.delete().catch(() => undefined);
  }
}
