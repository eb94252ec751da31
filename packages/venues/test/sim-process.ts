import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The repo's exchange simulator, built (`tsc -b`), run as a child process (venues never import services code). */
export const SIM_MAIN = join(__dirname, '..', '..', '..', 'services', 'exchange-sim', 'dist', 'main.js');

export interface SimProcess {
  readonly ports: { binance: number; coinbase: number; control: number };
  readonly control: string;
  stop(): Promise<void>;
  /** POST JSON to the control API. */
  post(path: string, body: unknown): Promise<unknown>;
  /** GET JSON from the control API; null on 404. */
  get<T>(path: string): Promise<T | null>;
}

/** Starts the sim on ephemeral ports with extra `ARB__...` env overrides; resolves once it prints its listening line. */
export async function startSimProcess(env: Record<string, string> = {}): Promise<SimProcess> {
  if (!existsSync(SIM_MAIN)) throw new Error(`${SIM_MAIN} not found: build the workspace first (npx tsc -b)`);
  const child: ChildProcess = spawn(process.execPath, [SIM_MAIN], {
    env: {
      ...process.env,
      ARB_MODE: 'sim',
      ARB__HTTP__PORT: '0',
      ARB__LOG__LEVEL: 'warn',
      ARB__SIM__CONTROL__PORT: '0',
      ARB__SIM__VENUES__BINANCE__PORT: '0',
      ARB__SIM__VENUES__COINBASE__PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()).slice(-4000));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const ports = await new Promise<SimProcess['ports']>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`exchange-sim did not start in time: ${stderr}`)), 20_000);
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      for (const line of buf.split('\n')) {
        if (!line.includes('"listening"')) continue;
        try {
          const j = JSON.parse(line) as { binance: { port: number }; coinbase: { port: number }; control: { port: number } };
          clearTimeout(timer);
          resolve({ binance: j.binance.port, coinbase: j.coinbase.port, control: j.control.port });
        } catch {
          // a partial line: wait for more
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exchange-sim exited (${code}): ${stderr}`));
    });
  });
  child.stdout?.resume();
  const control = `http://127.0.0.1:${ports.control}`;
  return {
    ports,
    control,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
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
