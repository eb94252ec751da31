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

/**
 * Reads the request body as text (at most `limit` bytes). A larger body is rejected and the rest
 * is drained (discarded) so the caller can still answer with an error.
 */
export function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      if (tooLarge) return;
      size += c.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        reject(new BodyError(`body larger than ${limit} bytes`));
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
