import type { LocalProcess } from './local-process';
import type { CutMode, TcpProxy } from './tcp-proxy';
import type { NatsNodeHandle } from './types';

const RESTART_ATTEMPTS = 20;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface NatsNodeSpec {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly clusterPort: number;
  readonly monitorPort: number;
  readonly storeDir: string;
  /** Every route proxy with this node at one end (its outbound links and the others' links to it). */
  readonly links: readonly TcpProxy[];
  makeProcess(): LocalProcess;
}

/** One nats-server of a local cluster: its process (restartable on the same ports and store) and its route links. */
export class NatsNode implements NatsNodeHandle {
  private proc: LocalProcess | undefined;
  private isPaused = false;
  private isIsolated = false;

  constructor(private readonly spec: NatsNodeSpec) {}

  get name(): string {
    return this.spec.name;
  }
  get host(): string {
    return this.spec.host;
  }
  get port(): number {
    return this.spec.port;
  }
  get clusterPort(): number {
    return this.spec.clusterPort;
  }
  get monitorPort(): number {
    return this.spec.monitorPort;
  }
  get storeDir(): string {
    return this.spec.storeDir;
  }
  get url(): string {
    return `nats://${this.spec.host}:${this.spec.port}`;
  }
  get pid(): number | undefined {
    return this.proc?.pid;
  }
  get running(): boolean {
    return this.pid !== undefined;
  }
  get paused(): boolean {
    return this.isPaused && this.running;
  }
  get isolated(): boolean {
    return this.isIsolated;
  }

  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running (pid ${String(this.pid)})`);
    this.isPaused = false;
    // After a stop the OS may hold the ports a moment longer: retry while the server says they are in use.
    for (let attempt = 1; ; attempt++) {
      this.proc = this.spec.makeProcess();
      try {
        await this.proc.start();
        return;
      } catch (error) {
        if (attempt >= RESTART_ATTEMPTS || !this.proc.failedOnAddressInUse()) throw error;
        await sleep(250);
      }
    }
  }

  async stop(): Promise<void> {
    this.wake();
    await this.proc?.stop();
  }

  async kill(): Promise<void> {
    this.wake();
    await this.proc?.kill();
  }

  pause(): void {
    if (!this.running) throw new Error(`${this.name} is not running`);
    this.proc?.signal('SIGSTOP');
    this.isPaused = true;
  }

  resume(): void {
    this.wake();
  }

  isolate(mode: CutMode = 'blackhole'): void {
    this.isIsolated = true;
    for (const link of this.spec.links) link.cut(mode);
  }

  heal(): void {
    this.isIsolated = false;
    for (const link of this.spec.links) link.restore();
  }

  private wake(): void {
    if (this.isPaused) this.proc?.signal('SIGCONT');
    this.isPaused = false;
  }
}
