import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, isPortFree } from '@arb/testkit';

const root = join(__dirname, '..', '..');

/** `node scripts/start.mjs` with its output collected, and helpers to wait for lines and for its exit. */
class Stack {
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
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const SERVICE = `
const name = process.env.ARB_INSTANCE_ID;
console.log('hello from ' + name + ' mode=' + process.env.ARB_MODE + ' nats=' + process.env.ARB__NATS__URL + ' redis=' + process.env.ARB__REDIS__URL + ' http=' + process.env.ARB__HTTP__PORT + ' pid=' + process.pid);
const timer = setInterval(() => {}, 1000);
process.on('SIGTERM', () => { console.log(name + ' got SIGTERM'); clearInterval(timer); });
`;
const CRASHER = `console.error('crashing on purpose'); setTimeout(() => process.exit(3), 100);`;

describe('scripts/start.mjs', () => {
  let dir: string;
  const stacks: Stack[] = [];
  const blockers: Server[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'arb-start-test-'));
    writeFileSync(join(dir, 'service.js'), SERVICE);
    writeFileSync(join(dir, 'crasher.js'), CRASHER);
    writeFileSync(
      join(dir, 'stack.mjs'),
      `export const services = [
        { name: 'echo', entry: ${JSON.stringify(join(dir, 'service.js'))}, instances: 2, httpPort: 0, readyLine: /hello from/ },
        { name: 'crasher', entry: ${JSON.stringify(join(dir, 'crasher.js'))} },
        { name: 'paper-only', entry: ${JSON.stringify(join(dir, 'service.js'))}, modes: ['paper'] },
        { name: 'not-built', entry: 'services/does-not-exist/dist/main.js' },
      ];\n`,
    );
  });

  afterEach(async () => {
    for (const stack of stacks.splice(0)) {
      if (stack.proc.exitCode === null && stack.proc.signalCode === null) {
        stack.proc.kill('SIGKILL');
        await stack.exited;
      }
    }
    await Promise.all(blockers.splice(0).map((b) => new Promise((r) => b.close(r))));
    rmSync(dir, { recursive: true, force: true });
  });

  async function launch(extraArgs: string[], env: Record<string, string> = {}): Promise<Stack> {
    const stack = new Stack(['--data-dir', join(dir, 'data'), '--stack', join(dir, 'stack.mjs'), ...extraArgs], {
      ...process.env,
      ARB__NATS__URL: `nats://127.0.0.1:${await freePort()}`,
      ARB__REDIS__URL: `redis://127.0.0.1:${await freePort()}`,
      ...env,
    });
    stacks.push(stack);
    return stack;
  }

  it('brings up NATS and Redis and the services, and SIGINT stops everything with exit 0', async () => {
    const stack = await launch(['--mode', 'sim']);
    const [, natsUrl, natsPort] = await stack.waitFor(/NATS ready at (nats:\/\/127\.0\.0\.1:(\d+)) \(JetStream\)/);
    const [, redisUrl, redisPort] = await stack.waitFor(/Redis ready at (redis:\/\/127\.0\.0\.1:(\d+))/);
    const [, natsPid] = await stack.waitFor(/\[start\] nats-server pid (\d+)/);
    const [, redisPid] = await stack.waitFor(/\[start\] redis-server pid (\d+)/);
    await stack.waitFor(/stack up: 3 service process\(es\)/);

    // services get the mode and the real URLs, output is prefixed, replicas are numbered
    const [, echoPid] = await stack.waitFor(new RegExp(`\\[echo-1\\] hello from echo-1 mode=sim nats=${natsUrl} redis=${redisUrl} http=\\d+ pid=(\\d+)`));
    await stack.waitFor(/\[echo-2\] hello from echo-2 /);
    await stack.waitFor(/\[start\] skip not-built: services\/does-not-exist\/dist\/main.js not built/);
    expect(stack.output).not.toMatch(/paper-only/);
    await stack.waitFor(/SERVICE DIED: crasher \(pid \d+\) exited unexpectedly \(exit code 3\)/);
    expect(stack.output).toMatch(/\[crasher\] crashing on purpose/);

    const pids = [natsPid, redisPid, echoPid].map(Number);
    for (const pid of pids) expect(isAlive(pid)).toBe(true);

    stack.proc.kill('SIGINT');
    const { code } = await stack.exited;
    expect(code).toBe(0);
    expect(stack.output).toMatch(/\[echo-1\] echo-1 got SIGTERM/);
    expect(stack.output).toMatch(/\nstopped\n/);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(await isPortFree(Number(natsPort))).toBe(true);
    expect(await isPortFree(Number(redisPort))).toBe(true);
  });

  it('--duration stops by itself; a taken port is replaced and passed to the services', async () => {
    const takenPort = await freePort();
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(takenPort, '127.0.0.1', resolve));

    const stack = await launch(['--duration', '1', '--mode', 'paper'], { ARB__NATS__URL: `nats://127.0.0.1:${takenPort}` });
    await stack.waitFor(new RegExp(`port ${takenPort} is taken: NATS uses (\\d+) instead`));
    const [, natsUrl] = await stack.waitFor(/NATS ready at (\S+) \(JetStream\)/);
    expect(natsUrl).not.toContain(`:${takenPort}`);
    await stack.waitFor(new RegExp(`\\[paper-only\\] hello from paper-only mode=paper nats=${natsUrl} `));
    const { code } = await stack.exited;
    expect(code).toBe(0);
    expect(stack.output).toMatch(/--duration 1s elapsed: stopping[\s\S]*\nstopped\n/);
  });
});
