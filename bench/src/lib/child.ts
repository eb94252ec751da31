import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

let setprivPath: string | null | undefined;
/** `setpriv --pdeathsig KILL` when it works here: the kernel kills the child if the bench dies without cleanup. */
function deathSignalWrapper(): string | null {
  if (setprivPath !== undefined) return setprivPath;
  setprivPath = null;
  if (process.platform !== 'linux') return setprivPath;
  for (const candidate of ['/usr/bin/setpriv', '/bin/setpriv']) {
    if (spawnSync(candidate, ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore' }).status === 0) {
      setprivPath = candidate;
      break;
    }
  }
  return setprivPath;
}

export interface TrackedChildOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Output (stdout and stderr) goes here (the file is replaced). */
  readonly logFile: string;
  /** Lines of output kept in memory for error messages. */
  readonly tailLines?: number;
}

interface LineWaiter {
  readonly re: RegExp;
  readonly resolve: (line: string) => void;
}

/**
 * A child process (setpriv execs into the command, so `pid` is the command's own pid and /proc/<pid>/stat
 * measures it), output to a log file plus an in-memory tail, stopped with SIGTERM then SIGKILL.
 */
export class TrackedChild {
  readonly pid: number;
  readonly exited: Promise<string>;
  private readonly proc: ChildProcess;
  private readonly log: WriteStream;
  private readonly tail: string[] = [];
  private readonly partial = { stdout: '', stderr: '' };
  private waiters: LineWaiter[] = [];
  private exitText: string | undefined;

  constructor(command: string, args: readonly string[], opts: TrackedChildOptions) {
    const w = deathSignalWrapper();
    const [cmd, argv] = w === null ? [command, [...args]] : [w, ['--pdeathsig', 'KILL', '--', command, ...args]];
    this.log = createWriteStream(opts.logFile);
    this.proc = spawn(cmd, argv, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    if (this.proc.pid === undefined) throw new Error(`could not start ${command}`);
    this.pid = this.proc.pid;
    const keep = opts.tailLines ?? 40;
    const onData = (stream: 'stdout' | 'stderr', chunk: Buffer): void => {
      this.log.write(chunk);
      const lines = (this.partial[stream] + chunk.toString('utf8')).split('\n');
      this.partial[stream] = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        this.tail.push(line);
        if (this.tail.length > keep) this.tail.shift();
        if (this.waiters.length > 0) this.offer(line);
      }
    };
    this.proc.stdout?.on('data', (c: Buffer) => onData('stdout', c));
    this.proc.stderr?.on('data', (c: Buffer) => onData('stderr', c));
    this.exited = new Promise((resolve) => {
      this.proc.once('error', (e) => {
        this.exitText ??= `could not start: ${e.message}`;
        resolve(this.exitText);
      });
      this.proc.once('exit', (code, signal) => {
        this.exitText ??= signal !== null ? `killed by ${signal}` : `exit code ${String(code)}`;
        resolve(this.exitText);
      });
    });
  }

  get running(): boolean {
    return this.exitText === undefined;
  }

  get exitDescription(): string | undefined {
    return this.exitText;
  }

  /** Last lines of output, for error messages. */
  outputTail(lines = 15): string {
    return this.tail.slice(-lines).join('\n');
  }

  /**
   * The first output line from now on (or still in the kept tail) matching `re`; rejects when the process exits or
   * after `timeoutMs`, with the tail of its output.
   */
  waitForLine(re: RegExp, timeoutMs: number, what = 'process'): Promise<string> {
    const seen = this.tail.find((l) => re.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const fail = (why: string): void => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`${what}: ${why} before printing ${String(re)}${this.tail.length > 0 ? `\n--- output (tail) ---\n${this.outputTail()}` : ''}`));
      };
      const timer = setTimeout(() => fail(`nothing within ${timeoutMs} ms`), timeoutMs);
      const waiter: LineWaiter = {
        re,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      this.waiters.push(waiter);
      void this.exited.then((how) => {
        if (this.waiters.includes(waiter)) {
          clearTimeout(timer);
          fail(`exited (${how})`);
        }
      });
    });
  }

  /** SIGTERM, SIGKILL after `timeoutMs`; resolves once gone and the log is flushed. */
  async stop(timeoutMs = 5000): Promise<string> {
    if (this.running) {
      this.proc.kill('SIGTERM');
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), timeoutMs);
      await this.exited;
      clearTimeout(timer);
    }
    if (!this.log.closed) await new Promise<void>((resolve) => this.log.end(resolve));
    return this.exitText ?? 'stopped';
  }

  private offer(line: string): void {
    const still: LineWaiter[] = [];
    for (const w of this.waiters) {
      if (w.re.test(line)) w.resolve(line);
      else still.push(w);
    }
    this.waiters = still;
  }
}
