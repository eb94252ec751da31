import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * How a cut behaves. `blackhole`: connections stay open but carry nothing (both sides' data waits in the socket
 * buffers, as TCP retransmits through a network split) and new connections hang until `restore()`; after the restore
 * everything flows again. `reset`: every connection is closed and new ones are closed at once (a peer that vanished).
 */
export type CutMode = 'blackhole' | 'reset';

interface Pair {
  readonly down: Socket;
  up: Socket | undefined;
}

const HOST = '127.0.0.1';

/**
 * A TCP relay on 127.0.0.1 to `target`, that can be cut and restored: a network link between two processes that a test
 * controls without root (no iptables, no network namespaces).
 */
export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  private mode: CutMode | undefined;
  private closed = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    readonly target: { readonly host: string; readonly port: number },
  ) {
    server.on('connection', (down) => this.accept(down));
  }

  /** Listens on a free port of 127.0.0.1 (or `port`). */
  static start(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
    return new Promise((resolve, reject) => {
      const server = createServer({ pauseOnConnect: true });
      server.unref();
      server.once('error', reject);
      server.listen({ port, host: HOST, exclusive: true }, () => {
        const address = server.address();
        if (typeof address !== 'object' || address === null) {
          server.close();
          reject(new Error('tcp proxy: could not read the bound port'));
          return;
        }
        resolve(new TcpProxy(server, address.port, { ...target }));
      });
    });
  }

  /** The current cut, or undefined when the link carries data. */
  get cutMode(): CutMode | undefined {
    return this.mode;
  }

  /** Connections relayed now (including ones held by a blackhole). */
  get connections(): number {
    return this.pairs.size;
  }

  /** Cuts the link (see CutMode). Cutting a cut link again changes its mode. */
  cut(mode: CutMode = 'blackhole'): void {
    this.mode = mode;
    for (const pair of [...this.pairs]) {
      if (mode === 'reset') this.drop(pair);
      else this.hold(pair);
    }
  }

  /** Lets data flow again; held connections resume where they stopped, held new ones are connected now. */
  restore(): void {
    this.mode = undefined;
    for (const pair of [...this.pairs]) {
      if (pair.up === undefined) this.connectUp(pair);
      else this.flow(pair);
    }
  }

  /** Closes the listener and every connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const pair of [...this.pairs]) this.drop(pair);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(down: Socket): void {
    if (this.closed || this.mode === 'reset') {
      down.destroy();
      return;
    }
    down.setNoDelay(true);
    const pair: Pair = { down, up: undefined };
    this.pairs.add(pair);
    down.on('error', () => this.drop(pair));
    down.on('close', () => this.drop(pair));
    // Held (not connected upstream) while a blackhole is on: the caller's connect hangs, as it would in a split.
    if (this.mode === undefined) this.connectUp(pair);
  }

  private connectUp(pair: Pair): void {
    const up = connect({ host: this.target.host, port: this.target.port });
    up.setNoDelay(true);
    pair.up = up;
    up.on('error', () => this.drop(pair));
    up.on('close', () => this.drop(pair));
    up.once('connect', () => {
      if (this.mode === undefined) this.flow(pair);
    });
  }

  private flow(pair: Pair): void {
    const { down, up } = pair;
    if (up === undefined || up.connecting) return;
    down.pipe(up);
    up.pipe(down);
  }

  private hold(pair: Pair): void {
    const { down, up } = pair;
    down.unpipe();
    down.pause();
    if (up !== undefined) {
      up.unpipe();
      up.pause();
    }
  }

  private drop(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    pair.down.destroy();
    pair.up?.destroy();
  }
}
