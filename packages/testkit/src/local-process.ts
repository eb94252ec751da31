import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { ServerStartError } from './errors';
import { whichBinary } from './binaries';

const HEAD_LINES = 8;
const TAIL_LINES = 25;

export interface LocalProcessSpec {
  /** Short name for messages, e.g. `nats-server`. */
  readonly name: string;
  readonly binary: string;
  readonly args: readonly string[];
  /** Resolves once the process accepts connections; rejects while it does not. */
  readonly probe: () => Promise<unknown>;
  readonly readyTimeoutMs: number;
  readonly stopTimeoutMs: number;
}

let pdeathsigWrapper: string | null | undefined;

/**
 * `setpriv --pdeathsig KILL` (util-linux) makes the kernel kill the server if the test process dies
 * without running its exit hooks (e.g. a Jest worker killed by SIGKILL). Checked once per process.
 */
export function deathSignalWrapper(): string | null {
  if (pdeathsigWrapper !== undefined) return pdeathsigWrapper;
  pdeathsigWrapper = null;
  const setpriv = process.platform === 'linux' ? whichBinary('setpriv') : undefined;
  if (setpriv !== undefined) {
    const probe = spawnSync(setpriv, ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore', timeout: 2000 });
    if (probe.status === 0) pdeathsigWrapper = setpriv;
  }
  return pdeathsigWrapper;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One server child process: start (wait until ready), stop (TERM, then KILL), keeping an output tail for errors. */
export class LocalProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private head: string[] = [];
  private tail: string[] = [];
  private dropped = 0;
  private exitInfo: string | undefined;

  constructor(private readonly spec: LocalProcessSpec) {}

  get pid(): number | undefined {
    return this.child !== undefined && this.exitInfo === undefined ? this.child.pid : undefined;
  }

  /** First and last output lines, for error messages. */
  outputTail(): string {
    const gap = this.dropped > 0 ? [`... (${this.dropped} lines) ...`] : [];
    return [...this.head, ...gap, ...this.tail].join('\n');
  }

  /** Spawns and waits until the probe answers; throws ServerStartError (with the output tail) otherwise. */
  async start(): Promise<void> {
    if (this.pid !== undefined) throw new ServerStartError(`${this.spec.name} is already running (pid ${this.pid})`);
    this.head = [];
    this.tail = [];
    this.dropped = 0;
    this.exitInfo = undefined;
    const wrapper = deathSignalWrapper();
    const [command, args] =
      wrapper === null ? [this.spec.binary, [...this.spec.args]] : [wrapper, ['--pdeathsig', 'KILL', '--', this.spec.binary, ...this.spec.args]];
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = signal === null ? `exit code ${String(code)}` : `signal ${signal}`;
        resolve();
      });
      child.once('error', (error) => {
        this.exitInfo = `spawn error: ${error.message}`;
        resolve();
      });
    });
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => this.keep(chunk));
    }
    // A forgotten server must not keep the test process alive; the exit hook kills it.
    this.unref();
    await this.waitReady();
  }

  private keep(chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (line.trim() === '') continue;
      if (this.head.length < HEAD_LINES) this.head.push(line);
      else this.tail.push(line);
    }
    if (this.tail.length > TAIL_LINES) this.dropped += this.tail.splice(0, this.tail.length - TAIL_LINES).length;
  }

  private unref(): void {
    this.child?.unref();
    for (const stream of [this.child?.stdout, this.child?.stderr]) {
      const handle = stream as unknown as { unref?: () => void } | null | undefined;
      handle?.unref?.();
    }
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + this.spec.readyTimeoutMs;
    let lastError: unknown;
    // A ref'd timer per attempt keeps the event loop alive while we wait.
    while (Date.now() < deadline) {
      if (this.exitInfo !== undefined) {
        throw new ServerStartError(`${this.spec.name} exited during start-up (${this.exitInfo}):\n${this.outputTail()}`);
      }
      try {
        await this.spec.probe();
        return;
      } catch (error) {
        lastError = error;
      }
      await sleep(25);
    }
    await this.stop();
    throw new ServerStartError(
      `${this.spec.name} not ready within ${this.spec.readyTimeoutMs} ms (${String(lastError)}):\n${this.outputTail()}`,
      { cause: lastError },
    );
  }

  /** True if the process exited during start-up because its port was taken. */
  failedOnAddressInUse(): boolean {
    return /address already in use|EADDRINUSE|bind:.*in use/i.test(this.outputTail());
  }

  /** Sends `signal` (e.g. SIGSTOP / SIGCONT) without waiting. No-op when not running. */
  signal(signal: NodeJS.Signals): void {
    if (this.pid !== undefined) this.child?.kill(signal);
  }

  /** SIGKILL (a crash: no shutdown work) and wait for the exit. Safe when not running. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined || this.exitInfo !== undefined) return;
    child.ref();
    child.kill('SIGKILL');
    await this.exited;
    child.stdout?.destroy();
    child.stderr?.destroy();
  }

  /** SIGTERM, SIGKILL after `stopTimeoutMs`, and wait for the exit. Safe when not running. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined || this.exitInfo !== undefined) return;
    child.ref(); // keep the loop alive until the exit is observed
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (this.exitInfo === undefined) child.kill('SIGKILL');
    }, this.spec.stopTimeoutMs);
    await this.exited;
    clearTimeout(timer);
    child.stdout?.destroy();
    child.stderr?.destroy();
  }
}
