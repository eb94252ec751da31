import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { RouteHandler } from '@arb/service-kit';
import { readBody, sendJson } from '../net/http-util';

export type BadInput = (kind: string, detail: string) => void;

/** A GET-only route. */
export function getRoute(handler: (req: IncomingMessage, res: ServerResponse) => void): RouteHandler {
  return (req, res) => {
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'method not allowed' });
    handler(req, res);
  };
}

/** A POST route whose JSON body must match `schema` (400 with the first error otherwise, counted as bad input). */
export function postRoute<S extends TSchema>(schema: S, onBadInput: BadInput, handler: (body: Static<S>, res: ServerResponse) => void): RouteHandler {
  return async (req, res) => {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed' });
    let body: unknown;
    try {
      const text = await readBody(req);
      body = text.trim() === '' ? {} : JSON.parse(text);
    } catch (err) {
      onBadInput('control_body', (err as Error).message);
      return sendJson(res, 400, { error: 'body must be JSON' });
    }
    if (!Value.Check(schema, body)) {
      const e = Value.Errors(schema, body).First();
      onBadInput('control_schema', e ? `${e.path} ${e.message}` : 'invalid');
      return sendJson(res, 400, { error: e ? `${e.path || '/'}: ${e.message}` : 'invalid body' });
    }
    handler(body, res);
  };
}
