import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, whichBinary } from '@arb/testkit';

/** One series of a Prometheus query answer (vector or matrix). */
export interface Series {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function asSample(x: unknown): [number, string] {
  if (!Array.isArray(x) || typeof x[0] !== 'number' || typeof x[1] !== 'string') throw new Error(`not a sample: ${JSON.stringify(x)}`);
  return [x[0], x[1]];
}

function asSeries(x: unknown): Series {
  if (!isRecord(x) || !isRecord(x.metric)) throw new Error(`not a series: ${JSON.stringify(x)}`);
  const metric: Record<string, string> = {};
  for (const [k, v] of Object.entries(x.metric)) metric[k] = String(v);
  const values = Array.isArray(x.values) ? x.values.map(asSample) : x.value !== undefined ? [asSample(x.value)] : [];
  return { metric, values };
}

/** Debian's Prometheus server (`/usr/bin/prometheus`) on a free loopback port with a throw-away TSDB. */
export class PrometheusServer {
  private output = '';
  private exited: Promise<void>;
  private done = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly dataDir: string,
  ) {
    for (const s of [child.stdout, child.stderr]) s?.on('data', (c: Buffer) => (this.output = (this.output + c.toString('utf8')).slice(-20_000)));
    this.exited = new Promise((resolve) =>
      child.once('exit', () => {
        this.done = true;
        resolve();
      }),
    );
  }

  static async start(configFile: string): Promise<PrometheusServer> {
    const bin = whichBinary('prometheus');
    if (bin === undefined) throw new Error('prometheus not found: `node scripts/setup.mjs` installs it (Debian: apt-get install -y prometheus)');
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'arb-prom-'));
    const args = [`--config.file=${configFile}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=127.0.0.1:${port}`, '--storage.tsdb.retention.time=1h', '--log.level=warn'];
    // Dies with the test process even if it never gets to stop() (like testkit's servers).
    const setpriv = whichBinary('setpriv');
    const child =
      setpriv === undefined ? spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] }) : spawn(setpriv, ['--pdeathsig', 'KILL', '--', bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new PrometheusServer(child, `http://127.0.0.1:${port}`, dataDir);
    await server.waitReady();
    return server;
  }

  private async waitReady(timeoutMs = 30_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (this.done) throw new Error(`prometheus exited:\n${this.output}`);
      const ok = await fetch(`${this.url}/-/ready`).then((r) => r.ok, () => false);
      if (ok) return;
      await sleep(200);
    }
    throw new Error(`prometheus not ready after ${timeoutMs} ms:\n${this.output}`);
  }

  /** GET /api/v1/<path>; the `data` of a successful answer, else throws with Prometheus' error. */
  async api(path: string, params: Record<string, string | string[]>): Promise<unknown> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) qs.append(k, x);
    const res = await fetch(`${this.url}/api/v1/${path}?${qs.toString()}`);
    const body: unknown = await res.json();
    if (!isRecord(body) || body.status !== 'success') throw new Error(`${path} ${JSON.stringify(params)}: ${JSON.stringify(body).slice(0, 500)}`);
    return body.data;
  }

  async instant(expr: string, time?: number): Promise<Series[]> {
    const data = await this.api('query', { query: expr, ...(time !== undefined ? { time: String(time) } : {}) });
    if (!isRecord(data) || !Array.isArray(data.result)) throw new Error(`${expr}: unexpected answer ${JSON.stringify(data).slice(0, 300)}`);
    return data.result.map(asSeries);
  }

  async range(expr: string, start: number, end: number, stepS: number): Promise<Series[]> {
    const data = await this.api('query_range', { query: expr, start: String(start), end: String(end), step: `${stepS}s` });
    if (!isRecord(data) || !Array.isArray(data.result)) throw new Error(`${expr}: unexpected answer ${JSON.stringify(data).slice(0, 300)}`);
    return data.result.map(asSeries);
  }

  /** Values of `label` on series of `metric` between start and end (what Grafana's label_values() lists). */
  async labelValues(label: string, metric: string, start: number, end: number): Promise<string[]> {
    const data = await this.api(`label/${encodeURIComponent(label)}/values`, { 'match[]': metric, start: String(start), end: String(end) });
    return Array.isArray(data) ? data.map(String) : [];
  }

  /** Scrape targets: job, URL, health and last error. */
  async targets(): Promise<Array<{ job: string; url: string; health: string; error: string }>> {
    const data = await this.api('targets', { state: 'active' });
    if (!isRecord(data) || !Array.isArray(data.activeTargets)) return [];
    return data.activeTargets.filter(isRecord).map((t) => ({
      job: isRecord(t.labels) ? String(t.labels.job) : '',
      url: String(t.scrapeUrl),
      health: String(t.health),
      error: String(t.lastError ?? ''),
    }));
  }

  /** Polls an instant query until `pred` holds for its first value; returns that value. */
  async waitFor(expr: string, pred: (v: number) => boolean, what: string, timeoutMs: number): Promise<number> {
    const end = Date.now() + timeoutMs;
    let last = 'no data';
    for (;;) {
      const r = await this.instant(expr);
      const v = r[0]?.values[0]?.[1];
      if (v !== undefined) {
        last = v;
        if (pred(Number(v))) return Number(v);
      }
      if (Date.now() > end) throw new Error(`${what}: ${expr} is ${last} after ${timeoutMs} ms`);
      await sleep(500);
    }
  }

  async stop(): Promise<void> {
    if (!this.done) {
      this.child.kill('SIGTERM');
      const t = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(t);
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
