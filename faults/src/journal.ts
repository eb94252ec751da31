import { streams, validators, type ExecutionReport } from '@arb/contracts';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/** Every ExecutionReport stored in ARB_EXECS: the journal itself, read from its start (not the core-NATS copies). */
export async function readJournal(natsUrl: string): Promise<ExecutionReport[]> {
  const nc = await connect({ servers: natsUrl, name: 'fault-suite-journal', timeout: 5000 });
  try {
    const c = await jetstream(nc).consumers.get(streams.executions.name, { deliver_policy: DeliverPolicy.All });
    const pending = (await c.info(true)).num_pending;
    const out: ExecutionReport[] = [];
    if (pending > 0) {
      const msgs = await c.fetch({ max_messages: pending, expires: 5_000 });
      for await (const m of msgs) {
        out.push(validators.ExecutionReport.decode(m.data));
        if (m.info.pending === 0) break;
      }
    }
    await c.delete().catch(() => undefined);
    return out;
  } finally {
    await nc.close();
  }
}
