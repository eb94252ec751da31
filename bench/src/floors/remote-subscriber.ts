import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  isSubscriberEvent,
  type SliceReport,
  type SubscriberCommand,
  type SubscriberEvent,
  type SubscriberReport,
} from './subscriber-protocol';

const ENTRY = join(__dirname, 'latency-subscriber.js');

/** The latency subscriber running in a separate Node process (see latency-subscriber.ts). */
export class RemoteSubscriber {
  private readonly waiters = new Set<(e: SubscriberEvent | Error) => void>();
  private exitError: Error | undefined;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: unknown) => {
      if (isSubscriberEvent(m)) for (const w of [...this.waiters]) w(m);
    });
    child.once('exit', (code, signal) => {
      this.exitError = new Error(`latency subscriber exited (${signal ?? `code ${String(code)}`})`);
      for (const w of [...this.waiters]) w(this.exitError);
    });
  }

  /** Forks the subscriber, connects it to `url` and resolves once its subscription is registered. */
  static async start(url: string, subject: string, timeoutMs = 10_000): Promise<RemoteSubscriber> {
    const child = fork(ENTRY, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
    const sub = new RemoteSubscriber(child);
    try {
      await sub.request({ type: 'start', url, subject }, 'ready', timeoutMs);
    } catch (error) {
      sub.kill();
      throw error;
    }
    return sub;
  }

  /** Drops latencies recorded so far (end of warm-up). */
  reset(): void {
    this.child.send({ type: 'reset' } satisfies SubscriberCommand);
  }

  /** Latencies since the previous slice (or reset); starts the next slice. */
  async slice(timeoutMs = 10_000): Promise<SliceReport> {
    const event = await this.request({ type: 'slice' }, 'slice', timeoutMs);
    if (event.type !== 'slice') throw new Error('latency subscriber: unexpected answer');
    return event;
  }

  /** Asks for the report; the child exits after sending it. */
  async stop(timeoutMs = 10_000): Promise<SubscriberReport> {
    const event = await this.request({ type: 'stop' }, 'report', timeoutMs);
    if (event.type !== 'report') throw new Error('latency subscriber: unexpected answer');
    await new Promise<void>((resolve) => {
      if (this.exitError !== undefined || this.child.exitCode !== null) resolve();
      else this.child.once('exit', () => resolve());
      setTimeout(() => {
        this.kill();
        resolve();
      }, 2000).unref();
    });
    return event;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private request(cmd: SubscriberCommand, want: SubscriberEvent['type'], timeoutMs: number): Promise<SubscriberEvent> {
    return new Promise((resolve, reject) => {
      if (this.exitError !== undefined) {
        reject(this.exitError);
        return;
      }
      const timer = setTimeout(() => done(new Error(`latency subscriber: no '${want}' within ${timeoutMs} ms`)), timeoutMs);
      const done = (e: SubscriberEvent | Error): void => {
        if (!(e instanceof Error) && e.type !== want && e.type !== 'error') return;
        clearTimeout(timer);
        this.waiters.delete(done);
        if (e instanceof Error) reject(e);
        else if (e.type === 'error') reject(new Error(`latency subscriber: ${e.message}`));
        else resolve(e);
      };
      this.waiters.add(done);
      this.child.send(cmd);
    });
  }
}
