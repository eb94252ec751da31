import { startBuiltService } from './built-service';
import { ServerStartError } from './errors';
import type { ServiceProcess } from './service-process';

/** Where `npx tsc -b` puts the exchange simulator's entry, relative to the repo root. */
export const SIM_ENTRY = 'services/exchange-sim/dist/main.js';

export interface SimPorts {
  readonly binance: number;
  readonly coinbase: number;
  readonly control: number;
}

export interface SimProcess {
  readonly proc: ServiceProcess;
  readonly ports: SimPorts;
  /** `http://127.0.0.1:<control port>`. */
  readonly control: string;
}

const LISTENING = /"event":"listening"/;

/** The ports of the sim's `{"event":"listening","binance":{"port":N},...}` line; null when the line is not that. */
export function parseListeningLine(line: string): SimPorts | null {
  let j: unknown;
  try {
    j = JSON.parse(line);
  } catch {
    return null;
  }
  const port = (k: string): number | null => {
    const v = typeof j === 'object' && j !== null ? (j as Record<string, unknown>)[k] : undefined;
    const p = typeof v === 'object' && v !== null ? (v as Record<string, unknown>).port : undefined;
    return typeof p === 'number' ? p : null;
  };
  const [binance, coinbase, control] = [port('binance'), port('coinbase'), port('control')];
  return binance === null || coinbase === null || control === null ? null : { binance, coinbase, control };
}

/**
 * Spawns the built exchange-sim (`entry`, default SIM_ENTRY) with every listener on an ephemeral port and log level
 * warn; `env` adds or overrides (`ARB__SIM__...`). Resolves with the ports of its listening line.
 */
export async function startSimProcess(env: Readonly<Record<string, string>> = {}, entry = SIM_ENTRY): Promise<SimProcess> {
  const proc = await startBuiltService({
    name: 'exchange-sim',
    entry,
    env: {
      ARB__SIM__CONTROL__PORT: '0',
      ARB__SIM__VENUES__BINANCE__PORT: '0',
      ARB__SIM__VENUES__COINBASE__PORT: '0',
      ARB__LOG__LEVEL: 'warn',
      ...env,
    },
    readyLine: LISTENING,
    readyTimeoutMs: 20_000,
  });
  const ports = parseListeningLine(await proc.waitForLine(LISTENING));
  if (ports === null) {
    await proc.kill();
    throw new ServerStartError(`exchange-sim: unreadable listening line:\n${proc.lines().slice(-5).join('\n')}`);
  }
  return { proc, ports, control: `http://127.0.0.1:${ports.control}` };
}

/** `ARB__VENUES__...` REST and WebSocket URLs pointing a service's venue clients at the sim. */
export function simVenueEnv(sim: Pick<SimProcess, 'ports'>): Record<string, string> {
  return {
    ARB__VENUES__BINANCE__REST_URL: `http://127.0.0.1:${sim.ports.binance}`,
    ARB__VENUES__BINANCE__WS_URL: `ws://127.0.0.1:${sim.ports.binance}`,
    ARB__VENUES__COINBASE__REST_URL: `http://127.0.0.1:${sim.ports.coinbase}`,
    ARB__VENUES__COINBASE__WS_URL: `ws://127.0.0.1:${sim.ports.coinbase}`,
  };
}
