import { connect } from 'node:net';
import { RespReplyError } from './errors';

/** A RESP2 reply: simple/bulk string, integer, nil (null) or array. */
export type RespValue = string | number | null | RespValue[];

type Parsed = { value: RespValue; end: number } | { error: string; end: number } | undefined;

function lineEnd(buf: Buffer, from: number): number {
  return buf.indexOf('\r\n', from, 'latin1');
}

/** Parses one reply at `at`; undefined while the buffer does not hold all of it. */
function parseOne(buf: Buffer, at: number): Parsed {
  if (at >= buf.length) return undefined;
  const eol = lineEnd(buf, at);
  if (eol < 0) return undefined;
  const type = String.fromCharCode(buf[at] as number);
  const line = buf.toString('utf8', at + 1, eol);
  const next = eol + 2;
  switch (type) {
    case '+':
      return { value: line, end: next };
    case '-':
      return { error: line, end: next };
    case ':':
      return { value: Number(line), end: next };
    case '$': {
      const len = Number(line);
      if (len < 0) return { value: null, end: next };
      if (buf.length < next + len + 2) return undefined;
      return { value: buf.toString('utf8', next, next + len), end: next + len + 2 };
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return { value: null, end: next };
      const items: RespValue[] = [];
      let pos = next;
      for (let i = 0; i < n; i++) {
        const item = parseOne(buf, pos);
        if (item === undefined) return undefined;
        if ('error' in item) return item;
        items.push(item.value);
        pos = item.end;
      }
      return { value: items, end: pos };
    }
    default:
      throw new Error(`not a RESP reply (type byte ${JSON.stringify(type)})`);
  }
}

function encode(command: readonly string[]): string {
  return `*${command.length}\r\n${command.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/**
 * Sends `commands` (each an argument list, e.g. `['AUTH', 'admin', pw]`, `['INFO', 'replication']`) on one new
 * connection and resolves with their replies in order. Rejects with RespReplyError on the first error reply, or on a
 * timeout or connection error. For test set-up and probes; not a client.
 */
export function respCall(host: string, port: number, commands: readonly (readonly string[])[], timeoutMs = 2000): Promise<RespValue[]> {
  return new Promise((resolve, reject) => {
    const replies: RespValue[] = [];
    let buf = Buffer.alloc(0);
    let settled = false;
    const socket = connect({ host, port });
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error !== undefined) reject(error);
      else resolve(replies);
    };
    const timer = setTimeout(() => finish(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
    socket.setNoDelay(true);
    socket.once('connect', () => socket.write(commands.map(encode).join('')));
    socket.on('error', (error) => finish(error));
    socket.on('close', () => finish(new Error(`${host}:${port} closed the connection after ${replies.length} of ${commands.length} replies`)));
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      try {
        for (;;) {
          const r = parseOne(buf, 0);
          if (r === undefined) return;
          buf = buf.subarray(r.end);
          if ('error' in r) return finish(new RespReplyError(r.error));
          replies.push(r.value);
          if (replies.length === commands.length) return finish();
        }
      } catch (error) {
        finish(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

/** `INFO` text → field map (`role` → `master`, ...). */
export function parseInfo(text: RespValue): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof text !== 'string') return out;
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}
