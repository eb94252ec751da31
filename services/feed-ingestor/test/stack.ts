import { simVenueEnv, startBuiltService, type ServiceProcess, type SimProcess } from '@arb/testkit';

/** The built exchange-sim on ephemeral ports; `env` adds ARB__SIM__... overrides. */
export { startSimProcess as startSim, type SimProcess } from '@arb/testkit';

const INGESTOR_ENTRY = 'services/feed-ingestor/dist/main.js';

/** Starts a built feed-ingestor for `venue` against the sim and NATS. */
export function startIngestor(venue: 'binance' | 'coinbase', natsUrl: string, sim: SimProcess, env: Record<string, string> = {}): Promise<ServiceProcess> {
  return startBuiltService({
    name: `feed-ingestor-${venue}`,
    entry: INGESTOR_ENTRY,
    env: { VENUE: venue, ARB__NATS__URL: natsUrl, ARB__LOG__LEVEL: 'warn', ...simVenueEnv(sim), ...env },
  });
}

export async function controlJson<T>(sim: SimProcess, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${sim.control}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
