import { streams, validators, type ExecutionReport } from '@arb/contracts';
import { natsServerList, readStream } from '@arb/service-kit';
import { connect } from '@nats-io/transport-node';

/**
 * Every ExecutionReport stored in ARB_EXECS: the journal itself, read from its start (not the core-NATS copies).
 * `natsUrl` may list every server of a cluster (comma-separated).
 */
export async function readJournal(natsUrl: string): Promise<ExecutionReport[]> {
  const nc = await connect({ servers: natsServerList(natsUrl), name: 'fault-suite-journal', timeout: 5000 });
  try {
    return await readStream(nc, streams.executions.name, (d) => validators.ExecutionReport.decode(d));
  } finally {
    await nc.close();
  }
}
