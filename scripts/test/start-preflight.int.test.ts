import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, Stack } from './stack-process';

/** start.mjs must refuse to start in paper/live mode when keys are missing or the venues do not answer: exit 2. */
describe('scripts/start.mjs checks before starting anything', () => {
  let dir: string;
  const stacks: Stack[] = [];
  const servers: Server[] = [];
  const sockets = new Set<Socket>();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'arb-preflight-test-'));
  });

  afterEach(async () => {
    await Promise.all(stacks.splice(0).map((s) => s.kill()));
    for (const s of sockets) s.destroy();
    await Promise.all(servers.splice(0).map((b) => new Promise((r) => b.close(r))));
    rmSync(dir, { recursive: true, force: true });
  });

  async function listen(onConnection: (socket: Socket) => void): Promise<number> {
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      onConnection(socket);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
  }

  /** A port nothing listens on (a listener opened and closed again). */
  async function closedPort(): Promise<number> {
    const port = await listen((s) => s.destroy());
    const server = servers.pop() as Server;
    await new Promise((r) => server.close(r));
    return port;
  }

  async function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    const stack = new Stack(['--data-dir', join(dir, 'data'), ...args], { ...cleanEnv(), ...env });
    stacks.push(stack);
    const { code } = await stack.exited;
    // nothing was started: no server, no service, no summary
    expect(stack.output).not.toMatch(/NATS ready|Redis ready|stack up|final summary/);
    return { code, output: stack.output };
  }

  /** Every venue endpoint at `url` (REST and WebSocket). */
  const venuesAt = (rest: string, ws = rest.replace(/^http/, 'ws')): Record<string, string> => ({
    ARB__VENUES__BINANCE__REST_URL: rest,
    ARB__VENUES__BINANCE__WS_URL: ws,
    ARB__VENUES__COINBASE__REST_URL: rest,
    ARB__VENUES__COINBASE__WS_URL: ws,
  });

  it('--mode live without API keys exits 2 naming every missing variable', async () => {
    const { code, output } = await run(['--mode', 'live'], {});
    expect(code).toBe(2);
    expect(output).toMatch(/live mode trades with real API keys, and these are missing or unusable/);
    for (const name of ['BINANCE_API_KEY', 'BINANCE_API_SECRET', 'COINBASE_API_KEY_NAME', 'COINBASE_API_PRIVATE_KEY']) {
      expect(output).toContain(`${name} is not set (nor ${name}_FILE)`);
    }
  });

  it('--mode live names a key file that cannot be read and a variable set twice', async () => {
    const keyFile = join(dir, 'secret.txt');
    writeFileSync(keyFile, 'a-secret\n');
    const { code, output } = await run(['--mode', 'live'], {
      BINANCE_API_KEY: 'key',
      BINANCE_API_SECRET_FILE: join(dir, 'missing.txt'),
      COINBASE_API_KEY_NAME: 'name',
      COINBASE_API_KEY_NAME_FILE: keyFile,
      COINBASE_API_PRIVATE_KEY_FILE: keyFile,
    });
    expect(code).toBe(2);
    expect(output).toContain(`BINANCE_API_SECRET_FILE (${join(dir, 'missing.txt')}) cannot be read: ENOENT`);
    expect(output).toContain('both COINBASE_API_KEY_NAME and COINBASE_API_KEY_NAME_FILE are set');
    expect(output).not.toMatch(/BINANCE_API_KEY |COINBASE_API_PRIVATE_KEY/);
  });

  it('--mode live with keys goes on to check the venues (and stops there when they do not answer)', async () => {
    const { code, output } = await run(['--mode', 'live'], {
      BINANCE_API_KEY: 'k',
      BINANCE_API_SECRET: 's',
      COINBASE_API_KEY_NAME: 'n',
      COINBASE_API_PRIVATE_KEY: 'p',
      ...venuesAt('https://api.venue-under-test.invalid'),
    });
    expect(code).toBe(2);
    expect(output).not.toMatch(/API keys/);
    expect(output).toMatch(/live mode needs the real venues/);
    expect(output).toMatch(/cannot resolve api\.venue-under-test\.invalid:443 \(binance, venues\.binance\.restUrl = https:\/\/api\.venue-under-test\.invalid\): DNS/);
  });

  it('--mode paper with unresolvable venue hosts exits 2 naming the host and what to check', async () => {
    const { code, output } = await run(['--mode', 'paper'], venuesAt('https://api.nowhere-test.invalid', 'wss://stream.nowhere-test.invalid:9443'));
    expect(code).toBe(2);
    expect(output).toMatch(/paper mode needs the real venues, and some do not answer/);
    expect(output).toMatch(/cannot resolve api\.nowhere-test\.invalid:443 .*Check this machine's internet access and DNS/);
    expect(output).toMatch(/cannot resolve stream\.nowhere-test\.invalid:9443 \(binance, venues\.binance\.wsUrl/);
    expect(output).toMatch(/--mode sim/);
  });

  it('--mode paper with a refused port or a failed TLS handshake exits 2 naming host:port', async () => {
    const refused = await closedPort();
    const { code, output } = await run(['--mode', 'paper'], venuesAt(`http://127.0.0.1:${refused}`));
    expect(code).toBe(2);
    expect(output).toMatch(new RegExp(`cannot connect to 127\\.0\\.0\\.1:${refused} \\(binance, venues\\.binance\\.restUrl = http://127\\.0\\.0\\.1:${refused}\\): ECONNREFUSED`));

    const notTls = await listen((s) => s.destroy()); // accepts TCP, then hangs up: no TLS
    const tls = await run(['--mode', 'paper'], venuesAt(`https://127.0.0.1:${notTls}`));
    expect(tls.code).toBe(2);
    expect(tls.output).toMatch(new RegExp(`TLS handshake with 127\\.0\\.0\\.1:${notTls} \\(binance, venues\\.binance\\.restUrl = https://127\\.0\\.0\\.1:${notTls}\\) failed`));
  });

  it('--mode paper with a venue that accepts but never answers the TLS handshake gives up at its handshake timeout', async () => {
    // The message names the timeout that fired; without it the run would wait until jest's own timeout.
    const silent = await listen(() => undefined);
    const { code, output } = await run(['--mode', 'paper'], venuesAt(`https://127.0.0.1:${silent}`));
    expect(code).toBe(2);
    expect(output).toMatch(new RegExp(`TLS handshake with 127\\.0\\.0\\.1:${silent} .* did not finish within 4000 ms`));
  });
});
