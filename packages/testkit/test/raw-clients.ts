import { connect, type Socket } from 'node:net';

/** Minimal line reader over a raw socket, for speaking NATS / RESP by hand in tests. */
class RawConnection {
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static open(host: string, port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port }, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async waitData(): Promise<void> {
    if (this.closed) throw new Error('connection closed');
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  write(data: string): void {
    this.socket.write(data);
  }

  async line(): Promise<string> {
    for (;;) {
      const eol = this.buffer.indexOf('\r\n');
      if (eol >= 0) {
        const line = this.buffer.subarray(0, eol).toString('utf8');
        this.buffer = this.buffer.subarray(eol + 2);
        return line;
      }
      await this.waitData();
    }
  }

  async bytes(n: number): Promise<string> {
    while (this.buffer.length < n + 2) await this.waitData();
    const out = this.buffer.subarray(0, n).toString('utf8');
    this.buffer = this.buffer.subarray(n + 2);
    return out;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
  }
}

/** NATS over a raw socket: CONNECT, PING/PONG, and request/reply (enough to drive the JetStream API). */
export class RawNats {
  private sid = 0;
  private constructor(private readonly conn: RawConnection) {}

  static async connect(host: string, port: number, name?: string): Promise<RawNats> {
    const conn = await RawConnection.open(host, port);
    const info = await conn.line();
    if (!info.startsWith('INFO ')) throw new Error(`expected INFO, got ${info}`);
    conn.write(`CONNECT ${JSON.stringify({ verbose: false, pedantic: false, headers: false, ...(name === undefined ? {} : { name }) })}\r\n`);
    return new RawNats(conn);
  }

  async ping(): Promise<string> {
    this.conn.write('PING\r\n');
    return this.nextNonPing();
  }

  private async nextNonPing(): Promise<string> {
    for (;;) {
      const line = await this.conn.line();
      if (line === 'PING') this.conn.write('PONG\r\n');
      else return line;
    }
  }

  /** Publishes `payload` to `subject` and resolves the first reply's payload. */
  async request(subject: string, payload: string): Promise<string> {
    const sid = ++this.sid;
    const inbox = `_INBOX.raw.${sid}`;
    const size = Buffer.byteLength(payload);
    this.conn.write(`SUB ${inbox} ${sid}\r\nUNSUB ${sid} 1\r\nPUB ${subject} ${inbox} ${size}\r\n${payload}\r\n`);
    for (;;) {
      const line = await this.nextNonPing();
      if (line.startsWith('-ERR')) throw new Error(line);
      if (!line.startsWith('MSG ')) continue;
      const parts = line.split(' ');
      return this.conn.bytes(Number(parts[parts.length - 1]));
    }
  }

  close(): Promise<void> {
    return this.conn.close();
  }
}

/** Redis over a raw socket: sends one command, reads one simple/bulk/integer/error reply. */
export class RawRedis {
  private constructor(private readonly conn: RawConnection) {}

  static async connect(host: string, port: number): Promise<RawRedis> {
    return new RawRedis(await RawConnection.open(host, port));
  }

  async command(...args: string[]): Promise<string | null> {
    this.conn.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    const line = await this.conn.line();
    const kind = line[0];
    if (kind === '$') {
      const n = Number(line.slice(1));
      return n < 0 ? null : this.conn.bytes(n);
    }
    if (kind === '+' || kind === ':' || kind === '-') return line;
    throw new Error(`unexpected reply ${line}`);
  }

  close(): Promise<void> {
    return this.conn.close();
  }
}
