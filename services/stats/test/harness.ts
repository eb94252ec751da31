import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { subjects, type ExecutionReport } from '@arb/contracts';
import { ServiceProcess } from '@arb/testkit';

export const ROOT = resolve(__dirname, '../../..');
const ENTRY = resolve(ROOT, 'services/stats/dist/main.js');

export interface StatsProcess {
  proc: ServiceProcess;
  url: string;
}

/** Starts the built stats service (`node services/stats/dist/main.js`) on a free HTTP port. */
export async function startStatsProcess(natsUrl: string, env: Record<string, string> = {}): Promise<StatsProcess> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: build first (npx tsc -b)`);
  const proc = await ServiceProcess.start({
    name: 'stats',
    entry: ENTRY,
    cwd: ROOT,
    env: { ARB_MODE: 'sim', ARB__NATS__URL: natsUrl, ARB__HTTP__HOST: '127.0.0.1', ARB__HTTP__PORT: '0', ARB__LOG__LEVEL: 'info', ...env },
    readyLine: /"msg":"stats started"/,
  });
  const line = await proc.waitForLine(/"msg":"http server listening"/);
  const url = (JSON.parse(line) as { url: string }).url;
  return { proc, url };
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`);
    await sleep(50);
  }
}

/** Waits for /readyz to answer 200. */
export function waitReady(url: string, timeoutMs = 15_000): Promise<true> {
  return until('readyz', async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined), timeoutMs);
}

/** Journals reports the way the executor does: JetStream publish on arb.exec.<symbol> with Nats-Msg-Id. */
export async function journal(js: JetStreamClient, reports: readonly ExecutionReport[], msgIdSuffix = ''): Promise<void> {
  for (const r of reports) await js.publish(subjects.execution(r.symbol), JSON.stringify(r), { msgID: `${r.id}${msgIdSuffix}` });
}

export function js(nc: NatsConnection): JetStreamClient {
  return jetstream(nc);
}
