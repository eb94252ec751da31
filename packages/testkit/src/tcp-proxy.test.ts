import { connect, createServer, type Server, type Socket } from 'node:net';
import { TcpProxy } from './tcp-proxy';

/** An echo server that also counts the connections it accepted. */
async function echoServer(): Promise<{ server: Server; port: number; accepted: () => number }> {
  let accepted = 0;
  const server = createServer((s) => {
    accepted++;
    s.on('error', () => undefined);
    s.pipe(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return { server, port: address.port, accepted: () => accepted };
}

class Client {
  received = '';
  closed = false;
  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (this.received += d));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }
  static open(port: number): Promise<Client> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port }, () => resolve(new Client(s)));
      s.once('error', reject);
    });
  }
}

async function until(what: string, ok: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('TcpProxy', () => {
  let echo: Awaited<ReturnType<typeof echoServer>>;
  let proxy: TcpProxy;
  const clients: Client[] = [];
  const open = async (): Promise<Client> => {
    const c = await Client.open(proxy.port);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    echo = await echoServer();
    proxy = await TcpProxy.start({ host: '127.0.0.1', port: echo.port });
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.socket.destroy();
    await proxy.close();
    await new Promise((r) => echo.server.close(r));
  });

  it('relays both ways', async () => {
    const c = await open();
    c.socket.write('hello');
    await until('the echo', () => c.received === 'hello');
    expect(proxy.connections).toBe(1);
  });

  it('blackhole: an open connection carries nothing while cut, then resumes with nothing lost', async () => {
    const c = await open();
    c.socket.write('a');
    await until('the first echo', () => c.received === 'a');
    proxy.cut();
    expect(proxy.cutMode).toBe('blackhole');
    c.socket.write('b');
    await new Promise((r) => setTimeout(r, 200));
    expect(c.received).toBe('a');
    expect(c.closed).toBe(false);
    proxy.restore();
    await until('the held bytes', () => c.received === 'ab');
  });

  it('blackhole: a new connection hangs (never reaches the target) until restored', async () => {
    proxy.cut('blackhole');
    const c = await open();
    c.socket.write('x');
    await new Promise((r) => setTimeout(r, 200));
    expect(echo.accepted()).toBe(0);
    expect(c.received).toBe('');
    proxy.restore();
    await until('the echo after restore', () => c.received === 'x');
    expect(echo.accepted()).toBe(1);
  });

  it('reset: closes open connections and every new one', async () => {
    const c = await open();
    c.socket.write('a');
    await until('the echo', () => c.received === 'a');
    proxy.cut('reset');
    await until('the close', () => c.closed);
    const late = await open();
    await until('the new one closed', () => late.closed);
    expect(echo.accepted()).toBe(1);
    proxy.restore();
    const again = await open();
    again.socket.write('z');
    await until('the echo after restore', () => again.received === 'z');
  });
});
