import { spawn, spawnSync } from 'node:child_process';
import { which } from './bins.mjs';

let wrapper;
/** `setpriv --pdeathsig KILL`: the kernel kills the child if this process dies without cleaning up. */
function deathSignalWrapper() {
  if (wrapper !== undefined) return wrapper;
  wrapper = null;
  const setpriv = process.platform === 'linux' ? which('setpriv') : undefined;
  if (setpriv && spawnSync(setpriv, ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore' }).status === 0) wrapper = setpriv;
  return wrapper;
}

/** Writes each complete line of `stream` to `out` as `[name] line`. */
function prefixLines(stream, out, name, onLine) {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop();
    for (const line of parts) {
      out.write(`[${name}] ${line}\n`);
      onLine(line);
    }
  });
  stream.on('end', () => {
    if (partial !== '') out.write(`[${name}] ${partial}\n`);
    partial = '';
  });
}

/**
 * A long-running child in its own process group (so a terminal Ctrl-C reaches only us, and we stop children in
 * order), output prefixed with its name. `exited` resolves with a description once it is gone. `output`
 * ({ stdout, stderr }: anything with write(text)) replaces this process's stdout/stderr as the prefixed lines' target.
 */
export class Child {
  constructor(name, command, args, { env = process.env, cwd, output } = {}) {
    this.name = name;
    this.lineListeners = new Set();
    this.exitDescription = undefined;
    const w = deathSignalWrapper();
    const [cmd, argv] = w ? [w, ['--pdeathsig', 'KILL', '--', command, ...args]] : [command, args];
    this.process = spawn(cmd, argv, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.pid = this.process.pid;
    this.exited = new Promise((resolve) => {
      this.process.once('error', (error) => {
        this.exitDescription ??= `could not start: ${error.message}`;
        resolve(this.exitDescription);
      });
      this.process.once('exit', (code, signal) => {
        this.exitDescription ??= signal ? `killed by ${signal}` : `exit code ${code}`;
        resolve(this.exitDescription);
      });
    });
    // 'close' comes after 'exit' once its output pipes are drained (or right away if it never started).
    this.drained = new Promise((resolve) => {
      this.process.once('close', resolve);
      this.process.once('error', resolve);
    });
    const onLine = (line) => {
      for (const listener of this.lineListeners) listener(line);
    };
    prefixLines(this.process.stdout, output?.stdout ?? process.stdout, name, onLine);
    prefixLines(this.process.stderr, output?.stderr ?? process.stderr, name, onLine);
  }

  /** Calls `listener(line)` for every complete output line (stdout and stderr, unprefixed). */
  onLine(listener) {
    this.lineListeners.add(listener);
  }

  get running() {
    return this.exitDescription === undefined;
  }

  /** Resolves when a line matching `pattern` is printed; rejects if the child exits first or after `timeoutMs`. */
  waitForLine(pattern, timeoutMs) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`${this.name}: no line matching ${pattern} within ${timeoutMs} ms`)), timeoutMs);
      const listener = (line) => pattern.test(line) && done(undefined, line);
      const done = (error, line) => {
        clearTimeout(timer);
        this.lineListeners.delete(listener);
        if (error) reject(error);
        else resolve(line);
      };
      this.lineListeners.add(listener);
      this.exited.then((how) => done(new Error(`${this.name} exited (${how}) before printing ${pattern}`)));
    });
  }

  signal(sig) {
    if (!this.running) return;
    try {
      process.kill(-this.pid, sig); // the whole group: the service and anything it started
    } catch {
      try {
        this.process.kill(sig);
      } catch {
        // already gone
      }
    }
  }

  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves once the process has exited. */
  async stop(timeoutMs = 10_000) {
    if (!this.running) return this.exited;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), timeoutMs);
    const how = await this.exited;
    clearTimeout(timer);
    return how;
  }
}
