import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

/** A raw NATS request got no answer, no responder, or an error from the server. */
export class NatsRequestError extends Error {
  override readonly name = 'NatsRequestError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const CRLF = Buffer.from('\r\n');

/**
 * One NATS request over a fresh raw socket (no client library): CONNECT, SUB to an inbox, PUB with that reply subject,
 * the first answer's payload as text. For the testkit's JetStream API calls (`$JS.API.STREAM.INFO.<name>`, leader
 * step-downs) against one chosen server of a cluster.
 */
export function natsRequest(host: string, port: number, subject: string, payload = '', timeoutMs = 2000): Promise<string> {
  const inbox = `_INBOX.testkit.${randomBytes(8).toString('hex')}`;
  const body = Buffer.from(payload, 'utf8');
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    let settled = false;
    const socket = connect({ host, port });
    const finish = (error: Error | undefined, answer?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error !== undefined) reject(error);
      else resolve(answer ?? '');
    };
    const timer = setTimeout(() => finish(new NatsRequestError(`no answer to ${subject} from ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
    socket.on('error', (e) => finish(new NatsRequestError(`${host}:${port}: ${e.message}`, { cause: e })));
    socket.on('close', () => finish(new NatsRequestError(`${host}:${port} closed the connection before answering ${subject}`)));
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const eol = buffer.indexOf(CRLF);
        if (eol < 0) return;
        const line = buffer.subarray(0, eol).toString('utf8');
        const [op = '', ...args] = line.split(' ');
        if (op === 'MSG' || op === 'HMSG') {
          const total = Number(args[args.length - 1]);
          const headerBytes = op === 'HMSG' ? Number(args[args.length - 2]) : 0;
          if (buffer.length < eol + 2 + total + 2) return; // wait for the whole payload
          const frame = buffer.subarray(eol + 2, eol + 2 + total);
          const headers = frame.subarray(0, headerBytes).toString('utf8');
          if (/^NATS\/1\.0 503/.test(headers)) {
            finish(new NatsRequestError(`no responders for ${subject} on ${host}:${port}`));
            return;
          }
          finish(undefined, frame.subarray(headerBytes).toString('utf8'));
          return;
        }
        buffer = buffer.subarray(eol + 2);
        if (op === 'INFO') {
          socket.write(
            `CONNECT {"verbose":false,"pedantic":false,"headers":true,"no_responders":true,"name":"arb-testkit"}\r\n` +
              `SUB ${inbox} 1\r\nPUB ${subject} ${inbox} ${body.length}\r\n`,
          );
          socket.write(Buffer.concat([body, CRLF]));
        } else if (op === 'PING') {
          socket.write('PONG\r\n');
        } else if (op === '-ERR') {
          finish(new NatsRequestError(`${host}:${port} answered ${line}`));
          return;
        }
      }
    });
  });
}
