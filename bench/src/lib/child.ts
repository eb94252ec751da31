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
  private exitText: string | undefined;

  constructor(command: string, args: readonly string[], opts: TrackedChildOptions) {
    const w = deathSignalWrapper();
    const [cmd, argv] = w === null ? [command, [...args]] : [w, ['--pdeathsig', 'KILL', '--', command, ...args]];
    this.log = createWriteStream(opts.logFile);
    this.proc = spawn(cmd, argv, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    if (this.proc.pid === undefined) throw new Error(`could not start ${command}`);
    this.pid = this.proc.pid;
    const keep = opts.tailLines ?? 40;
    const onData = (chunk: Buffer): void => {
      this.log.write(chunk);
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        this.tail.push(line);
        if (this.tail.length > keep) this.tail.shift();
      }
    };
    this.proc.stdout?.on('data', onData);
    this.proc.stderr?.on('data', onData);
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

  /** SIGTERM, SIGKILL after `timeoutMs`; resolves once gone and the log is flushed. */
  async stop(timeoutMs = 5000): Promise<string> {
    if (this.running) {
      this.proc.kill('SIGTERM');
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), timeoutMs);
      await this.exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => this.log.end(resolve));
    return this.exitText ?? 'stopped';
  }
}
