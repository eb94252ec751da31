import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, isPortFree } from '@arb/testkit';
import { cleanEnv, isAlive, Stack } from './stack-process';

const SERVICE = `
const name = process.env.ARB_INSTANCE_ID;
console.log('hello from ' + name + ' mode=' + process.env.ARB_MODE + ' nats=' + process.env.ARB__NATS__URL + ' redis=' + process.env.ARB__REDIS__URL + ' http=' + process.env.ARB__HTTP__PORT + ' pid=' + process.pid);
const timer = setInterval(() => {}, 1000);
process.on('SIGTERM', () => { console.log(name + ' got SIGTERM'); clearInterval(timer); });
`;
const CRASHER = `console.error('crashing on purpose'); setTimeout(() => process.exit(3), 100);`;

describe('scripts/start.mjs (stand-in services)', () => {
  let dir: string;
  const stacks: Stack[] = [];
  const servers: Server[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'arb-start-test-'));
    writeFileSync(join(dir, 'service.js'), SERVICE);
    writeFileSync(join(dir, 'crasher.js'), CRASHER);
    const echo = `{ name: 'echo', entry: ${JSON.stringify(join(dir, 'service.js'))}, instances: 2, httpPort: 0, readyLine: /hello from/ }`;
    const paperOnly = `{ name: 'paper-only', entry: ${JSON.stringify(join(dir, 'service.js'))}, modes: ['paper'] }`;
    writeFileSync(
      join(dir, 'stack.mjs'),
      `export const services = [
        ${echo},
        { name: 'crasher', entry: ${JSON.stringify(join(dir, 'crasher.js'))} },
        ${paperOnly},
        { name: 'not-built', entry: 'services/does-not-exist/dist/main.js' },
      ];\n`,
    );
    writeFileSync(join(dir, 'clean-stack.mjs'), `export const services = [${echo}, ${paperOnly}];\n`);
  });

  afterEach(async () => {
    await Promise.all(stacks.splice(0).map((s) => s.kill()));
    await Promise.all(servers.splice(0).map((b) => new Promise((r) => b.close(r))));
    rmSync(dir, { recursive: true, force: true });
  });

  async function listen(onConnection: (socket: import('node:net').Socket) => void = (s) => s.destroy()): Promise<number> {
    const server = createServer(onConnection);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
  }

  async function launch(stackFile: string, extraArgs: string[], env: Record<string, string> = {}): Promise<Stack> {
    const stack = new Stack(['--data-dir', join(dir, 'data'), '--stack', join(dir, stackFile), ...extraArgs], {
      ...cleanEnv(),
      ARB__NATS__URL: `nats://127.0.0.1:${await freePort()}`,
      ARB__REDIS__URL: `redis://127.0.0.1:${await freePort()}`,
      ...env,
    });
    stacks.push(stack);
    return stack;
  }

  it('brings up NATS, Redis and the services; a died service is reported, and SIGINT stops everything with exit 1', async () => {
    const stack = await launch('stack.mjs', ['--mode', 'sim']);
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
    expect(code).toBe(1); // a service died: not a clean run
    expect(stack.output).toMatch(/\[echo-1\] echo-1 got SIGTERM/);
    const final = stack.finalSummary();
    expect(final).toMatch(/stopped: SIGINT/);
    expect(final).toMatch(/services: 3 started, 1 died · crasher DIED \(exit code 3\)/);
    expect(final).toMatch(/stats match journal: unknown \(no stats service\)/);
    expect(final).toMatch(/result: NOT clean \(exit 1\)\nstopped\n$/);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(await isPortFree(Number(natsPort))).toBe(true);
    expect(await isPortFree(Number(redisPort))).toBe(true);
  });

  it('--duration stops by itself with exit 0 when nothing died; a taken port is replaced and passed to the services', async () => {
    const takenPort = await listen();
    // paper mode first checks that the venues answer: point every venue endpoint at a local listener
    const venue = `http://127.0.0.1:${await listen()}`;
    const venues = {
      ARB__VENUES__BINANCE__REST_URL: venue,
      ARB__VENUES__BINANCE__WS_URL: venue.replace('http', 'ws'),
      ARB__VENUES__COINBASE__REST_URL: venue,
      ARB__VENUES__COINBASE__WS_URL: venue.replace('http', 'ws'),
    };
    const stack = await launch('clean-stack.mjs', ['--duration', '1', '--mode', 'paper'], { ARB__NATS__URL: `nats://127.0.0.1:${takenPort}`, ...venues });
    await stack.waitFor(new RegExp(`port ${takenPort} is taken: NATS uses (\\d+) instead`));
    const [, natsUrl] = await stack.waitFor(/NATS ready at (\S+) \(JetStream\)/);
    expect(natsUrl).not.toContain(`:${takenPort}`);
    await stack.waitFor(new RegExp(`\\[paper-only\\] hello from paper-only mode=paper nats=${natsUrl} `));
    const { code } = await stack.exited;
    expect(code).toBe(0);
    expect(stack.output).toMatch(/--duration 1s elapsed: stopping[\s\S]*\nstopped\n$/);
    const final = stack.finalSummary();
    expect(final).toMatch(/mode paper · ran [\d.]+ s · stopped: --duration 1s elapsed/);
    expect(final).toMatch(/feeds live: 0\/0 \(no feed status received\)/);
    expect(final).toMatch(/journal ARB_EXECS: no such stream/);
    expect(final).toMatch(/services: 3 started, 0 died, all stopped cleanly/);
    expect(final).toMatch(/result: clean run \(exit 0\)/);
  });
});
