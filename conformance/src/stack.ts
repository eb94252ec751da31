import { connect, type NatsConnection } from '@nats-io/transport-node';
import { simVenueEnv, startBuiltService, startNats, startSimProcess, type NatsHandle, type ServiceProcess, type SimProcess } from '@arb/testkit';
import type { CcxtVenue } from './ccxt';
import { SimControl } from './control';

/**
 * Settings the suite changes from the shipped sim-mode config, and why. Everything else (market model, spreads,
 * fees, jumps, feed depth, Binance's @depth@0ms for the ingestor) is what `npm start` runs.
 */
export const SIM_OVERRIDES: Readonly<Record<string, { value: string; why: string }>> = {
  ARB__SIM__CONTROL__HISTORY_SIZE: {
    value: '50000',
    why: 'default 0; the book checks look past true states up by update id and Coinbase sequence_num (GET /control/book)',
  },
};

const INGESTOR_ENTRY = 'services/feed-ingestor/dist/main.js';

export interface Stack {
  readonly nats: NatsHandle;
  readonly sim: SimProcess;
  readonly control: SimControl;
  readonly nc: NatsConnection;
  /** `127.0.0.1:<port>` of each simulated venue. */
  hostPort(venue: CcxtVenue): string;
  stop(): Promise<void>;
}

/** nats-server, the built exchange-sim and one built feed-ingestor per venue, as `npm start` runs them. */
export async function startStack(venues: readonly CcxtVenue[], log: (line: string) => void): Promise<Stack> {
  const nats = await startNats({ jetstream: false });
  const started: Array<{ stop(): Promise<unknown> }> = [nats];
  try {
    const env = Object.fromEntries(Object.entries(SIM_OVERRIDES).map(([k, v]) => [k, v.value]));
    for (const [k, v] of Object.entries(SIM_OVERRIDES)) log(`override ${k}=${v.value}: ${v.why}`);
    const sim = await startSimProcess(env);
    started.push({ stop: () => sim.proc.stop() });
    log(`exchange-sim: binance :${sim.ports.binance}, coinbase :${sim.ports.coinbase}, control :${sim.ports.control}`);
    const ingestors: ServiceProcess[] = [];
    for (const venue of venues) {
      const p = await startBuiltService({
        name: `feed-ingestor-${venue}`,
        entry: INGESTOR_ENTRY,
        env: { VENUE: venue, ARB__NATS__URL: nats.url, ARB__LOG__LEVEL: 'warn', ...simVenueEnv(sim) },
      });
      ingestors.push(p);
      started.push(p);
    }
    const nc = await connect({ servers: nats.url });
    return {
      nats,
      sim,
      control: new SimControl(sim.control),
      nc,
      hostPort: (venue) => `127.0.0.1:${sim.ports[venue]}`,
      async stop() {
        await nc.close().catch(() => undefined);
        for (const s of started.reverse()) await s.stop().catch(() => undefined);
      },
    };
  } catch (e) {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    throw e;
  }
}
