import type { IncomingMessage, ServerResponse } from 'node:http';

/** Request body exceeded the limit or could not be read. */
export class BodyError extends Error {
  override readonly name = 'BodyError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Reads the request body as text (at most `limit` bytes). */
export function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new BodyError(`body larger than ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', (cause) => reject(new BodyError('body read failed', { cause })));
  });
}

export function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://sim.local');
}
