import { spawn, type ChildProcess } from 'node:child_process';
import { release, track, type Leftover } from './child-registry';
import { ServerStartError } from './errors';
import { deathSignalWrapper } from './local-process';

export interface ServiceProcessOptions {
  /** Name for messages. */
  readonly name: string;
  /** Script run with this Node binary, e.g. `services/feed-ingestor/dist/main.js`. */
  readonly entry: string;
  readonly args?: readonly string[];
  /** Added to the parent's environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Resolve `start` once an output line matches (default: right after spawn). */
  readonly readyLine?: RegExp;
  readonly readyTimeoutMs?: number;
  /** Lines kept for `lines()` / error messages. */
  readonly keepLines?: number;
}

type Waiter = { re: RegExp; resolve: (line: string) => void };

/**
 * A real service process for integration tests (`node dist/main.js`): output captured line by line,
 * `waitForLine`, graceful `stop` (SIGTERM, then SIGKILL), hard `kill`, and cleanup if the test process exits.
 */
export class ServiceProcess implements Leftover {
  readonly dirs: readonly string[] = [];
  private child: ChildProcess | undefined;
  private buffer: string[] = [];
  private partial = '';
  private waiters: Waiter[] = [];
  private exitResult: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(private readonly o: ServiceProcessOptions) {}

  static async start(o: ServiceProcessOptions): Promise<ServiceProcess> {
    const p = new ServiceProcess(o);
    await p.start();
    return p;
  }

  pid(): number | undefined {
    return this.exitResult === undefined ? this.child?.pid : undefined;
  }

  /** Exit code/signal once the process has ended. */
  get exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.exitResult;
  }

  lines(): readonly string[] {
    return this.buffer;
  }

  async start(): Promise<void> {
    const wrapper = deathSignalWrapper();
    const base = [this.o.entry, ...(this.o.args ?? [])];
    const [cmd, args] = wrapper === null ? [process.execPath, base] : [wrapper, ['--pdeathsig', 'KILL', '--', process.execPath, ...base]];
    const child = spawn(cmd, args, { cwd: this.o.cwd, env: { ...process.env, ...this.o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.exitResult = undefined;
    track(this);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitResult = { code, signal };
        release(this);
        resolve();
      });
    });
    for (const s of [child.stdout, child.stderr]) {
      s?.setEncoding('utf8');
      s?.on('data', (chunk: string) => this.onData(chunk));
    }
    if (this.o.readyLine !== undefined) await this.waitForLine(this.o.readyLine, this.o.readyTimeoutMs ?? 15_000);
  }

  /** Resolves with the first line (already seen or future) matching `re`; rejects on timeout or exit. */
  waitForLine(re: RegExp, timeoutMs = 15_000): Promise<string> {
    const seen = this.buffer.find((l) => re.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        re,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      const fail = (why: string): void => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new ServerStartError(`${this.o.name}: ${why} waiting for ${re}:\n${this.buffer.slice(-20).join('\n')}`));
      };
      const timer = setTimeout(() => fail(`timed out after ${timeoutMs} ms`), timeoutMs);
      this.waiters.push(waiter);
      void this.exited.then(() => {
        if (this.waiters.includes(waiter)) {
          clearTimeout(timer);
          fail(`exited (${JSON.stringify(this.exitResult)})`);
        }
      });
    });
  }

  /** Sends `signal` (default SIGTERM), SIGKILL after `timeoutMs`; resolves with the exit result. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.child;
    if (child !== undefined && this.exitResult === undefined) {
      child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await this.exited;
      clearTimeout(t);
    }
    return this.exitResult ?? { code: null, signal: null };
  }

  /** SIGKILL: a crash. */
  kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.stop('SIGKILL', 0);
  }

  private onData(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      if (line === '') continue;
      this.buffer.push(line);
      for (const w of [...this.waiters]) {
        if (w.re.test(line)) {
          this.waiters = this.waiters.filter((x) => x !== w);
          w.resolve(line);
        }
      }
    }
    const keep = this.o.keepLines ?? 2000;
    if (this.buffer.length > keep) this.buffer.splice(0, this.buffer.length - keep);
  }
}
