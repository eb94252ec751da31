import { Type } from '@sinclair/typebox';
import type { RouteHandler } from '@arb/service-kit';
import { UDECIMAL_PATTERN } from '@arb/contracts';
import { TradingFaultsPatch } from '../config/trading-schema';
import { VENUES, type VenueName } from '../model/market';
import { requestUrl, sendJson } from '../net/http-util';
import { controlView } from '../trading/order';
import type { TradeTracker } from '../trading/trade-tracker';
import type { VenueTrading } from '../trading/venue-trading';
import { getRoute, postRoute, type BadInput } from './route-helpers';

const Venue = Type.Union([Type.Literal('binance'), Type.Literal('coinbase')]);

/** POST /control/accounts: replace the balances of one account (default: the venue's first). */
export const SetAccountRequest = Type.Object(
  {
    venue: Venue,
    key: Type.Optional(Type.String({ minLength: 1 })),
    balances: Type.Record(Type.String({ pattern: '^[A-Z0-9]{1,20}$' }), Type.String({ pattern: UDECIMAL_PATTERN, maxLength: 40 })),
  },
  { additionalProperties: false },
);

/** POST /control/trading-faults: patch one venue's trading faults (or reset them to the configured ones). */
export const TradingFaultsRequest = Type.Object({ venue: Venue, faults: Type.Optional(TradingFaultsPatch), reset: Type.Optional(Type.Boolean()) }, { additionalProperties: false });

export interface TradingControlContext {
  readonly venues: Record<VenueName, VenueTrading>;
  readonly tracker: TradeTracker;
  readonly onBadInput: BadInput;
}

/**
 * Trading control routes: true balances and every order (with fills) per venue, trade concurrency
 * stats, balances and trading faults set at run time.
 */
export function tradingRoutes(ctx: TradingControlContext): Record<string, RouteHandler> {
  const { venues, tracker } = ctx;
  const pick = (q: URLSearchParams): VenueName[] | null => {
    const v = q.get('venue');
    if (v === null) return [...VENUES];
    return (VENUES as readonly string[]).includes(v) ? [v as VenueName] : null;
  };
  const accountsOf = (v: VenueName) => [...venues[v].accounts.values()].map((a) => ({ key: a.key, uuid: a.uuid, balances: a.balances() }));
  return {
    '/control/accounts': async (req, res) => {
      if (req.method === 'GET') {
        const vs = pick(requestUrl(req).searchParams);
        if (!vs) return sendJson(res, 400, { error: 'unknown venue' });
        return sendJson(res, 200, Object.fromEntries(vs.map((v) => [v, accountsOf(v)])));
      }
      return postRoute(SetAccountRequest, ctx.onBadInput, (b, r) => {
        const t = venues[b.venue];
        const account = b.key === undefined ? t.accounts.values().next().value : t.accounts.get(b.key);
        if (!account) return sendJson(r, 404, { error: `no such ${b.venue} account` });
        account.reset(b.balances);
        sendJson(r, 200, { venue: b.venue, key: account.key, balances: account.balances() });
      })(req, res);
    },
    '/control/orders': getRoute((req, res) => {
      const q = requestUrl(req).searchParams;
      const vs = pick(q);
      if (!vs) return sendJson(res, 400, { error: 'unknown venue' });
      const prefix = q.get('clientOrderIdPrefix') ?? '';
      const orders = vs.flatMap((v) => venues[v].engine.orders.all.filter((o) => o.clientOrderId.startsWith(prefix)).map(controlView));
      sendJson(res, 200, { orders });
    }),
    '/control/trading-stats': getRoute((_req, res) =>
      sendJson(res, 200, {
        ...tracker.stats(),
        faults: Object.fromEntries(VENUES.map((v) => [v, { ...venues[v].faults.counters, heldRequests: venues[v].heldCount }])),
      }),
    ),
    '/control/trading-stats/reset': postRoute(Type.Object({}), ctx.onBadInput, (_b, res) => {
      tracker.reset();
      sendJson(res, 200, tracker.stats());
    }),
    '/control/trading-faults': async (req, res) => {
      if (req.method === 'GET') return sendJson(res, 200, Object.fromEntries(VENUES.map((v) => [v, venues[v].faults.current])));
      return postRoute(TradingFaultsRequest, ctx.onBadInput, (b, r) => {
        const faults = venues[b.venue].faults.update(b.faults ?? {}, b.reset === true);
        sendJson(r, 200, { venue: b.venue, faults });
      })(req, res);
    },
  };
}
