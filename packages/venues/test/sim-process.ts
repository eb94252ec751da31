import { startSimProcess as startBuiltSim } from '@arb/testkit';

export interface SimProcess {
  readonly ports: { binance: number; coinbase: number; control: number };
  readonly control: string;
  stop(): Promise<void>;
  /** POST JSON to the control API. */
  post(path: string, body: unknown): Promise<unknown>;
  /** GET JSON from the control API; null on 404. */
  get<T>(path: string): Promise<T | null>;
}

/**
 * The repo's exchange simulator, built (`tsc -b`), run as a child process (venues never import services code) on
 * ephemeral ports with extra `ARB__...` env overrides; resolves once it prints its listening line.
 */
export async function startSimProcess(env: Record<string, string> = {}): Promise<SimProcess> {
  const { proc, ports, control } = await startBuiltSim(env);
  return {
    ports,
    control,
    async stop() {
      await proc.stop('SIGTERM', 5000);
    },
    async post(path, body) {
      const r = await fetch(`${control}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!r.ok) throw new Error(`POST ${path}: ${r.status} ${await r.text()}`);
      return r.json();
    },
    async get<T>(path: string) {
      const r = await fetch(`${control}${path}`);
      if (r.status === 404) return null;
      if (!r.ok) throw new Error(`GET ${path}: ${r.status} ${await r.text()}`);
      return (await r.json()) as T;
    },
  };
}
