import type { ServerResponse } from 'node:http';
import type { TSchema, Static } from '@sinclair/typebox';
import type { RouteHandler } from '@arb/service-kit';
import type { BinanceVenue } from '../binance/venue';
import type { CoinbaseVenue } from '../coinbase/venue';
import type { Market } from '../model/market';
import { requestUrl, sendJson } from '../net/http-util';
import type { TradeTracker } from '../trading/trade-tracker';
import type { SimWorld } from '../world/world';
import { nowMs } from '../model/format';
import { queryBook } from './book-query';
import { DislocateRequest, FaultsRequest } from './requests';
import { getRoute, postRoute } from './route-helpers';
import { tradingRoutes } from './trading-routes';
import { queryWindows } from './windows-query';
import { worldStats } from './world-stats';

export interface ControlContext {
  readonly market: Market;
  readonly world: SimWorld;
  readonly binance: BinanceVenue;
  readonly coinbase: CoinbaseVenue;
  readonly tracker: TradeTracker;
  readonly startedAt: number;
  readonly onBadInput: (kind: string, detail: string) => void;
}

/** The control API (JSON), mounted on the sim's HTTP server next to /metrics, /healthz, /readyz. */
export function controlRoutes(ctx: ControlContext): Record<string, RouteHandler> {
  const { market, binance, coinbase } = ctx;
  const venues = { binance, coinbase };
  const get = getRoute;
  const post = <S extends TSchema>(schema: S, handler: (body: Static<S>, res: ServerResponse) => void): RouteHandler => postRoute(schema, ctx.onBadInput, handler);
  return {
    ...tradingRoutes({ venues: { binance: binance.trading, coinbase: coinbase.trading }, tracker: ctx.tracker, onBadInput: ctx.onBadInput }),
    '/control/healthz': get((_req, res) => sendJson(res, 200, { status: 'ok', uptimeMs: Date.now() - ctx.startedAt })),
    '/control/book': get((req, res) => {
      const r = queryBook(market, coinbase, requestUrl(req).searchParams);
      if (r.ok) sendJson(res, 200, r.book);
      else sendJson(res, r.status, { error: r.error });
    }),
    '/control/stats': get((_req, res) =>
      sendJson(res, 200, {
        uptimeMs: Date.now() - ctx.startedAt,
        model: { ...market.counters, timeMs: market.now, scheduledDislocations: market.scheduledDislocations },
        ...worldStats(ctx.world),
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
      const r = market.dislocate(b.venue, b.symbol, b.bps, b.durationMs, b.atModelMs);
      if (r === 'unknown') return sendJson(res, 404, { error: `unknown symbol ${b.symbol}` });
      if (r === 'full') return sendJson(res, 429, { error: 'too many scheduled dislocations' });
      sendJson(res, 200, { ok: true, ...b, modelMs: market.now, fairPrice: market.fairPrice(b.symbol) });
    }),
    '/control/windows': get((req, res) => {
      const r = queryWindows(ctx.world, requestUrl(req).searchParams, nowMs());
      if (r.ok) sendJson(res, 200, r.doc);
      else {
        ctx.onBadInput('control_query', r.error);
        sendJson(res, 400, { error: r.error });
      }
    }),
  };
}
