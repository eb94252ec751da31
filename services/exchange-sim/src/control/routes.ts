import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TSchema, Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { RouteHandler } from '@arb/service-kit';
import type { BinanceVenue } from '../binance/venue';
import type { CoinbaseVenue } from '../coinbase/venue';
import type { Market } from '../model/market';
import { readBody, requestUrl, sendJson } from '../net/http-util';
import { queryBook } from './book-query';
import { DislocateRequest, FaultsRequest } from './requests';

export interface ControlContext {
  readonly market: Market;
  readonly binance: BinanceVenue;
  readonly coinbase: CoinbaseVenue;
  readonly startedAt: number;
  readonly onBadInput: (kind: string, detail: string) => void;
}

/** The control API (JSON), mounted on the sim's HTTP server next to /metrics, /healthz, /readyz. */
export function controlRoutes(ctx: ControlContext): Record<string, RouteHandler> {
  const { market, binance, coinbase } = ctx;
  const venues = { binance, coinbase };
  const get = (handler: (req: IncomingMessage, res: ServerResponse) => void): RouteHandler => (req, res) => {
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'method not allowed' });
    handler(req, res);
  };
  const post = <S extends TSchema>(schema: S, handler: (body: Static<S>, res: ServerResponse) => void): RouteHandler => async (req, res) => {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed' });
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (err) {
      ctx.onBadInput('control_body', (err as Error).message);
      return sendJson(res, 400, { error: 'body must be JSON' });
    }
    if (!Value.Check(schema, body)) {
      const e = Value.Errors(schema, body).First();
      ctx.onBadInput('control_schema', e ? `${e.path} ${e.message}` : 'invalid');
      return sendJson(res, 400, { error: e ? `${e.path || '/'}: ${e.message}` : 'invalid body' });
    }
    handler(body, res);
  };
  return {
    '/control/healthz': get((_req, res) => sendJson(res, 200, { status: 'ok', uptimeMs: Date.now() - ctx.startedAt })),
    '/control/book': get((req, res) => {
      const r = queryBook(market, coinbase, requestUrl(req).searchParams);
      if (r.ok) sendJson(res, 200, r.book);
      else sendJson(res, r.status, { error: r.error });
    }),
    '/control/stats': get((_req, res) =>
      sendJson(res, 200, {
        uptimeMs: Date.now() - ctx.startedAt,
        model: { ...market.counters, timeMs: market.now },
        venues: { binance: binance.stats, coinbase: coinbase.stats },
      }),
    ),
    '/control/faults': async (req, res) => {
      if (req.method === 'GET') return sendJson(res, 200, { binance: binance.faults.current, coinbase: coinbase.faults.current });
      return post(FaultsRequest, (b, r) => {
        const faults = venues[b.venue].faults.update(b.faults ?? {}, b.reset === true);
        sendJson(r, 200, { venue: b.venue, faults });
      })(req, res);
    },
    '/control/dislocate': post(DislocateRequest, (b, res) => {
      if (!market.dislocate(b.venue, b.symbol, b.bps, b.durationMs)) return sendJson(res, 404, { error: `unknown symbol ${b.symbol}` });
      sendJson(res, 200, { ok: true, ...b, fairPrice: market.fairPrice(b.symbol) });
    }),
  };
}
