import { execFileSync } from 'node:child_process';
import { connect as tcpConnect } from 'node:net';
import { resolve } from 'node:path';
import { freePort, ServiceProcess, startNats, startRedis, type NatsHandle, type RedisHandle } from '@arb/testkit';
import { sleep } from './observability-prometheus';

export const ROOT = resolve(__dirname, '../..');
const RENDER = resolve(ROOT, 'deploy/prometheus/render.mjs');

/** One entry of scripts/stack.mjs as deploy/prometheus/render.mjs --list reports it. */
export interface StackEntry {
  name: string;
  entry: string;
  env: Record<string, string>;
  instances: number;
}
export interface ScrapeJob {
  job: string;
  entries: StackEntry[];
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function asEntry(x: unknown): StackEntry {
  if (!isRecord(x) || typeof x.name !== 'string' || typeof x.entry !== 'string' || typeof x.instances !== 'number' || !isRecord(x.env)) {
    throw new Error(`render.mjs --list: bad entry ${JSON.stringify(x)}`);
  }
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(x.env)) env[k] = String(v);
  return { name: x.name, entry: x.entry, env, instances: x.instances };
}

/** The scrape jobs of the one list (deploy/prometheus/scrape-config.mjs, built from scripts/stack.mjs). */
export function scrapeJobs(): ScrapeJob[] {
  const parsed: unknown = JSON.parse(execFileSync(process.execPath, [RENDER, '--list'], { cwd: ROOT, encoding: 'utf8' }));
  if (!Array.isArray(parsed)) throw new Error('render.mjs --list: not an array');
  return parsed.map((j) => {
    if (!isRecord(j) || typeof j.job !== 'string' || !Array.isArray(j.entries)) throw new Error(`render.mjs --list: bad job ${JSON.stringify(j)}`);
    return { job: j.job, entries: j.entries.map(asEntry) };
  });
}

/** prometheus.yml for these ports, rendered by the same code as the committed files (local variant). */
export function renderLocalConfig(ports: Record<string, number[]>, scrapeInterval: string, out: string): void {
  execFileSync(process.execPath, [RENDER, '--variant', 'local', '--ports', JSON.stringify(ports), '--scrape-interval', scrapeInterval, '--out', out], { cwd: ROOT });
}

async function waitReady(name: string, url: string, proc: ServiceProcess, timeoutMs = 45_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (proc.exit !== undefined) throw new Error(`${name} exited ${JSON.stringify(proc.exit)}:\n${proc.lines().slice(-20).join('\n')}`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await sleep(250);
  }
  throw new Error(`${name}: ${url} not ready after ${timeoutMs} ms:\n${proc.lines().slice(-20).join('\n')}`);
}

/**
 * Every service of scripts/stack.mjs as real processes on free ports (sim mode, NATS and Redis from testkit), started
 * in stack order, each waited for on /readyz. `ports`: stack entry name → the /metrics ports in use.
 */
export class ObservedStack {
  readonly procs: ServiceProcess[] = [];
  readonly ports: Record<string, number[]> = {};
  control = '';

  private constructor(
    readonly nats: NatsHandle,
    readonly redis: RedisHandle,
  ) {}

  static async start(simEnv: Record<string, string>): Promise<ObservedStack> {
    const [nats, redis] = await Promise.all([startNats(), startRedis()]);
    const stack = new ObservedStack(nats, redis);
    try {
      await stack.startServices(simEnv);
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  private async startServices(simEnv: Record<string, string>): Promise<void> {
    const common: Record<string, string> = { ARB_MODE: 'sim', ARB__NATS__URL: this.nats.url, ARB__REDIS__URL: this.redis.url, ARB__LOG__LEVEL: 'warn' };
    let venueEnv: Record<string, string> = {};
    for (const { entries } of scrapeJobs()) {
      for (const e of entries) {
        if (e.name === 'exchange-sim') {
          venueEnv = await this.startSim(e, { ...common, ...simEnv });
          continue;
        }
        for (let i = 0; i < e.instances; i++) {
          const name = e.instances > 1 ? `${e.name}-${i + 1}` : e.name;
          const port = await freePort();
          const proc = await ServiceProcess.start({
            name,
            entry: resolve(ROOT, e.entry),
            cwd: ROOT,
            env: { ...common, ...venueEnv, ...e.env, ARB__HTTP__PORT: String(port), ARB_INSTANCE: name, ARB_INSTANCE_ID: name },
          });
          this.procs.push(proc);
          (this.ports[e.name] ??= []).push(port);
          await waitReady(name, `http://127.0.0.1:${port}/readyz`, proc);
        }
      }
    }
  }

  /** exchange-sim on ephemeral ports (it serves /metrics on its control port); returns the venue URL overrides. */
  private async startSim(e: StackEntry, env: Record<string, string>): Promise<Record<string, string>> {
    const proc = await ServiceProcess.start({
      name: e.name,
      entry: resolve(ROOT, e.entry),
      cwd: ROOT,
      env: {
        ...env,
        ...e.env,
        ARB__SIM__CONTROL__PORT: '0',
        ARB__SIM__VENUES__BINANCE__PORT: '0',
        ARB__SIM__VENUES__COINBASE__PORT: '0',
        ARB__HTTP__PORT: '0',
      },
      readyLine: /"event":"listening"/,
    });
    this.procs.push(proc);
    const line = proc.lines().find((l) => l.includes('"event":"listening"')) ?? '{}';
    const parsed: unknown = JSON.parse(line);
    const port = (venue: string): number => {
      const v = isRecord(parsed) ? parsed[venue] : undefined;
      if (!isRecord(v) || typeof v.port !== 'number') throw new Error(`exchange-sim listening line without ${venue} port: ${line}`);
      return v.port;
    };
    this.ports[e.name] = [port('control')];
    this.control = `http://127.0.0.1:${port('control')}`;
    const urls: Record<string, string> = {};
    for (const venue of ['binance', 'coinbase']) {
      urls[`ARB__VENUES__${venue.toUpperCase()}__WS_URL`] = `ws://127.0.0.1:${port(venue)}`;
      urls[`ARB__VENUES__${venue.toUpperCase()}__REST_URL`] = `http://127.0.0.1:${port(venue)}`;
    }
    return urls;
  }

  /** POST a JSON body to the sim's control API. */
  async simControl(path: string, body: unknown): Promise<void> {
    const res = await fetch(`${this.control}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  }

  /** The operator CLI (`npm run config`) against this stack's NATS. */
  arbConfig(args: string[]): string {
    return execFileSync(process.execPath, [resolve(ROOT, 'packages/cli/dist/main.js'), '--nats', this.nats.url, ...args], { cwd: ROOT, encoding: 'utf8' });
  }

  /** Publishes raw bytes on a core NATS subject with the plain text protocol (PUB, then PING/PONG as a flush). */
  publishRaw(subject: string, payload: string): Promise<void> {
    const url = new URL(this.nats.url);
    return new Promise((resolveP, reject) => {
      const socket = tcpConnect({ host: url.hostname, port: Number(url.port) });
      let seen = '';
      let sent = false;
      const timer = setTimeout(() => finish(new Error(`NATS publish on ${subject}: no PONG (${seen.slice(0, 200)})`)), 5_000);
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        socket.destroy();
        if (error) reject(error);
        else resolveP();
      };
      socket.on('error', (e) => finish(e));
      socket.on('data', (chunk: Buffer) => {
        seen += chunk.toString('utf8');
        if (!sent && seen.includes('\r\n')) {
          sent = true;
          const body = Buffer.from(payload, 'utf8');
          socket.write(`CONNECT {"verbose":false,"pedantic":false}\r\nPUB ${subject} ${body.length}\r\n`);
          socket.write(body);
          socket.write('\r\nPING\r\n');
        }
        if (seen.includes('-ERR')) finish(new Error(`NATS: ${seen}`));
        else if (seen.includes('PONG')) finish();
      });
    });
  }

  async stop(): Promise<void> {
    for (const p of [...this.procs].reverse()) await p.stop();
    await Promise.all([this.nats.stop(), this.redis.stop()]);
  }
}
