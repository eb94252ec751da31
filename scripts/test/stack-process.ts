import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const root = join(__dirname, '..', '..');

/** `node scripts/start.mjs` with its output collected, and helpers to wait for lines and for its exit. */
export class Stack {
  readonly proc: ChildProcess;
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private listeners = new Set<() => void>();

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.proc = spawn(process.execPath, [join(root, 'scripts', 'start.mjs'), ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer): void => {
      this.output += chunk.toString('utf8');
      for (const l of this.listeners) l();
    };
    this.proc.stdout?.on('data', collect);
    this.proc.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => this.proc.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const match = pattern.exec(this.output);
        if (match) done(undefined, match);
      };
      const timer = setTimeout(() => done(new Error(`timed out waiting for ${pattern}; output:\n${this.output}`)), timeoutMs);
      const done = (error?: Error, match?: RegExpMatchArray): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
        if (error) reject(error);
        else resolve(match as RegExpMatchArray);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Kills it (SIGKILL) if still running; its process group children die with it (pdeathsig). */
  async kill(): Promise<void> {
    if (this.running) {
      this.proc.kill('SIGKILL');
      await this.exited;
    }
  }

  /** The text after the final summary's banner ('' when there is none). */
  finalSummary(): string {
    const at = this.output.indexOf('════════ final summary ════════');
    return at < 0 ? '' : this.output.slice(at);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** process.env without the variables that would change what start.mjs does (credentials, ARB_ settings). */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(ARB_|BINANCE_|COINBASE_)/.test(name)) delete env[name];
  }
  return env;
}
