import { streams, validators, type ExecutionReport } from '@arb/contracts';
import { readStream } from '@arb/service-kit';
import { connect } from '@nats-io/transport-node';

/** Every ExecutionReport stored in ARB_EXECS: the journal itself, read from its start (not the core-NATS copies). */
export async function readJournal(natsUrl: string): Promise<ExecutionReport[]> {
  const nc = await connect({ servers: natsUrl, name: 'fault-suite-journal', timeout: 5000 });
  try {
    return await readStream(nc, streams.executions.name, (d) => validators.ExecutionReport.decode(d));
  } finally {
    await nc.close();
  }
}
