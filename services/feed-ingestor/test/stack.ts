import { resolve } from 'node:path';
import { ServiceProcess } from '@arb/testkit';

export const ROOT = resolve(__dirname, '../../..');
const SIM_ENTRY = resolve(ROOT, 'services/exchange-sim/dist/main.js');
const INGESTOR_ENTRY = resolve(ROOT, 'services/feed-ingestor/dist/main.js');

export interface SimProcess {
  proc: ServiceProcess;
  ports: { binance: number; coinbase: number; control: number };
  control: string;
}

/** Starts the built exchange-sim on ephemeral ports; `env` adds ARB__SIM__... overrides. */
export async function startSim(env: Record<string, string> = {}): Promise<SimProcess> {
  const proc = await ServiceProcess.start({
    name: 'exchange-sim',
    entry: SIM_ENTRY,
    cwd: ROOT,
    env: {
      ARB_MODE: 'sim',
      ARB__SIM__CONTROL__PORT: '0',
      ARB__SIM__VENUES__BINANCE__PORT: '0',
      ARB__SIM__VENUES__COINBASE__PORT: '0',
      ARB__HTTP__PORT: '0',
      ARB__LOG__LEVEL: 'warn',
      ...env,
    },
    readyLine: /"event":"listening"/,
  });
  const line = proc.lines().find((l) => l.includes('"event":"listening"')) ?? '{}';
  const parsed = JSON.parse(line) as { binance: { port: number }; coinbase: { port: number }; control: { port: number } };
  const ports = { binance: parsed.binance.port, coinbase: parsed.coinbase.port, control: parsed.control.port };
  return { proc, ports, control: `http://127.0.0.1:${ports.control}` };
}

/** Starts a built feed-ingestor for `venue` against the sim and NATS. */
export function startIngestor(venue: 'binance' | 'coinbase', natsUrl: string, sim: SimProcess, env: Record<string, string> = {}): Promise<ServiceProcess> {
  return ServiceProcess.start({
    name: `feed-ingestor-${venue}`,
    entry: INGESTOR_ENTRY,
    cwd: ROOT,
    env: {
      VENUE: venue,
      ARB_MODE: 'sim',
      ARB__NATS__URL: natsUrl,
      ARB__HTTP__PORT: '0',
      ARB__LOG__LEVEL: 'warn',
      ARB__VENUES__BINANCE__WS_URL: `ws://127.0.0.1:${sim.ports.binance}`,
      ARB__VENUES__BINANCE__REST_URL: `http://127.0.0.1:${sim.ports.binance}`,
      ARB__VENUES__COINBASE__WS_URL: `ws://127.0.0.1:${sim.ports.coinbase}`,
      ARB__VENUES__COINBASE__REST_URL: `http://127.0.0.1:${sim.ports.coinbase}`,
      ...env,
    },
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
