import { fork, type ChildProcess } from 'node:child_process';

/** A message between the bench and one of its worker processes: `{ type, ... }`. */
export interface WorkerMessage {
  readonly type: string;
  readonly [field: string]: unknown;
}

function isWorkerMessage(v: unknown): v is WorkerMessage {
  return typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>).type === 'string';
}

/**
 * A bench helper running in its own Node process (forked with IPC), so it has its own event loop and CPU account
 * like a real service: request/answer by message type, `{ type: 'error', message }` rejects the pending request.
 */
export class ForkedWorker {
  private readonly waiters = new Set<(m: WorkerMessage | Error) => void>();
  private exitError: Error | undefined;
  readonly exited: Promise<string>;

  private constructor(
    readonly label: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (m: unknown) => {
      if (isWorkerMessage(m)) for (const w of [...this.waiters]) w(m);
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitError = new Error(`${label} exited (${signal ?? `code ${String(code)}`})`);
        for (const w of [...this.waiters]) w(this.exitError);
        resolve(this.exitError.message);
      });
    });
  }

  /** Forks `entry` (a compiled bench file) with `execArgv` (default none). */
  static fork(entry: string, label: string, execArgv: readonly string[] = []): ForkedWorker {
    const child = fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...execArgv] });
    return new ForkedWorker(label, child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  send(cmd: WorkerMessage): void {
    if (this.child.connected) this.child.send(cmd);
  }

  /** Sends `cmd` and resolves with the next message of type `want` (guarded), or rejects on error/exit/timeout. */
  request<T>(cmd: WorkerMessage, want: string, guard: (m: unknown) => m is T, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      if (this.exitError !== undefined) {
        reject(this.exitError);
        return;
      }
      const timer = setTimeout(() => done(new Error(`${this.label}: no '${want}' within ${timeoutMs} ms`)), timeoutMs);
      const done = (m: WorkerMessage | Error): void => {
        if (!(m instanceof Error) && m.type !== want && m.type !== 'error') return;
        clearTimeout(timer);
        this.waiters.delete(done);
        if (m instanceof Error) reject(m);
        else if (m.type === 'error') reject(new Error(`${this.label}: ${String(m.message)}`));
        else if (!guard(m)) reject(new Error(`${this.label}: malformed '${want}' answer`));
        else resolve(m);
      };
      this.waiters.add(done);
      this.send(cmd);
    });
  }

  /** Waits (up to `timeoutMs`) for the process to exit by itself, then kills it. */
  async finish(timeoutMs = 2000): Promise<void> {
    if (this.exitError !== undefined) return;
    const timer = setTimeout(() => this.kill(), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** Worker side: answers on the IPC channel. */
export function reply(message: WorkerMessage): void {
  process.send?.(message);
}

/** Worker side: leaves when the parent goes away (or is done with us), whatever is still open. */
export function exitWithParent(cleanup: () => Promise<void>): void {
  process.on('disconnect', () => {
    void cleanup().finally(() => process.exit());
    setTimeout(() => process.exit(), 1000).unref();
  });
}
