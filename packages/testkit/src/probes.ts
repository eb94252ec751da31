import { connect, type Socket } from 'node:net';

/** Parsed NATS `INFO` line (only the fields tests usually look at; the rest is kept as unknown). */
export interface NatsInfo {
  server_id?: string;
  version?: string;
  jetstream?: boolean;
  [key: string]: unknown;
}

/**
 * Opens a raw socket, reads lines until `done(lines)` returns true, answering each new line with `onLine`.
 * Rejects on timeout, socket error, or the peer closing first.
 */
function converse(
  host: string,
  port: number,
  timeoutMs: number,
  onConnect: (socket: Socket) => void,
  onLine: (line: string, socket: Socket) => 'more' | 'done',
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    let buffer = '';
    let settled = false;
    const socket = connect({ host, port });
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(lines);
    };
    const timer = setTimeout(() => finish(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
    socket.setNoDelay(true);
    socket.once('connect', () => onConnect(socket));
    socket.on('error', (error) => finish(error));
    socket.on('close', () => finish(new Error(`${host}:${port} closed the connection`)));
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let eol = buffer.indexOf('\r\n');
      while (eol >= 0 && !settled) {
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        lines.push(line);
        try {
          if (onLine(line, socket) === 'done') finish();
        } catch (error) {
          finish(error instanceof Error ? error : new Error(String(error)));
        }
        eol = buffer.indexOf('\r\n');
      }
    });
  });
}

/**
 * Speaks raw NATS protocol: reads `INFO`, sends `CONNECT` + `PING`, expects `PONG`.
 * Resolves with the parsed INFO (e.g. `jetstream: true`). `ping: false` stops after INFO (works with auth on).
 */
export async function probeNats(host: string, port: number, timeoutMs = 2000, opts: { ping?: boolean } = {}): Promise<NatsInfo> {
  const ping = opts.ping ?? true;
  let info: NatsInfo | undefined;
  await converse(
    host,
    port,
    timeoutMs,
    () => undefined,
    (line, socket) => {
      if (line.startsWith('INFO ')) {
        const parsed: unknown = JSON.parse(line.slice(5));
        if (typeof parsed !== 'object' || parsed === null) throw new Error(`bad INFO line: ${line}`);
        info = parsed as NatsInfo;
        if (!ping) return 'done';
        socket.write('CONNECT {"verbose":false,"pedantic":false,"name":"arb-testkit-probe"}\r\nPING\r\n');
        return 'more';
      }
      if (line === 'PONG') return 'done';
      if (line.startsWith('-ERR')) throw new Error(`NATS answered ${line}`);
      return 'more';
    },
  );
  if (info === undefined) throw new Error('NATS sent PONG without INFO');
  return info;
}

/** Error replies that mean "up, but not ready yet". */
const NOT_READY = ['-LOADING', '-BUSY', '-MASTERDOWN'];

/** Speaks raw RESP: optional `AUTH`, then `PING`; resolves `'PONG'`. Rejects on any error reply. */
export async function probeRedis(host: string, port: number, opts: { password?: string; timeoutMs?: number } = {}): Promise<string> {
  const password = opts.password;
  const expected = password === undefined ? 1 : 2;
  let answered = 0;
  const lines = await converse(
    host,
    port,
    opts.timeoutMs ?? 2000,
    (socket) => socket.write(`${password === undefined ? '' : `AUTH ${password}\r\n`}PING\r\n`),
    (line, _socket) => {
      if (line.startsWith('-')) {
        const kind = NOT_READY.some((p) => line.startsWith(p)) ? 'not ready' : 'error';
        throw new Error(`Redis ${kind}: ${line}`);
      }
      return ++answered >= expected ? 'done' : 'more';
    },
  );
  const last = lines[lines.length - 1] ?? '';
  if (last !== '+PONG') throw new Error(`Redis answered ${last} to PING`);
  return 'PONG';
}

/** Polls `probe` every 50 ms until it resolves; rejects with the last error after `timeoutMs`. */
export async function waitForProbe<T>(probe: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
