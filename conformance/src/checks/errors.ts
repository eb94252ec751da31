import { generateKeyPairSync } from 'node:crypto';
import type { CcxtVenue } from '../ccxt';
import { errorClass } from '../ccxt';
import { onTick } from '../decimals';
import { CheckFailure } from './failure';
import type { VenueSession } from './session';

/** What a failure must look like: ccxt's error class (its exact name) and the venue's own code or text in its message. */
interface Expected {
  cls: string;
  code: string;
}

/**
 * The venues' real error codes and the class ccxt 4.5 maps each to (its `exceptions` tables). Where ccxt maps a real
 * venue answer to a generic class (Coinbase's NOT_FOUND body, INVALID_LIMIT_PRICE_POST_ONLY), that generic class is
 * what a bot sees on the real venue too, so it is what the simulator must produce.
 */
export const EXPECTED: Record<string, Record<CcxtVenue, Expected>> = {
  badSignature: { binance: { cls: 'AuthenticationError', code: '-1022' }, coinbase: { cls: 'AuthenticationError', code: '401' } },
  skewedClock: { binance: { cls: 'InvalidNonce', code: '-1021' }, coinbase: { cls: 'AuthenticationError', code: '401' } },
  unknownOrderFetch: { binance: { cls: 'OrderNotFound', code: '-2013' }, coinbase: { cls: 'ExchangeError', code: 'NOT_FOUND' } },
  unknownOrderCancel: { binance: { cls: 'OrderNotFound', code: '-2011' }, coinbase: { cls: 'BadRequest', code: 'cancelOrders() has failed' } },
  // -2010's texts: ccxt maps these by message and quotes only the message.
  insufficient: { binance: { cls: 'InsufficientFunds', code: 'Account has insufficient balance for requested action.' }, coinbase: { cls: 'InsufficientFunds', code: 'INSUFFICIENT_FUND' } },
  postOnlyTakes: { binance: { cls: 'OrderImmediatelyFillable', code: 'Order would immediately match and take.' }, coinbase: { cls: 'ExchangeError', code: 'INVALID_LIMIT_PRICE_POST_ONLY' } },
};

/** Runs `call`, which must fail as `want` says; returns a one-line description. */
async function mustFail(s: VenueSession, name: keyof typeof EXPECTED, call: () => Promise<unknown>): Promise<string> {
  const want = (EXPECTED[name] as Record<CcxtVenue, Expected>)[s.venue];
  let err: unknown;
  try {
    await call();
  } catch (e) {
    err = e;
  }
  if (err === undefined) throw new CheckFailure(`succeeded; expected ${want.cls} (${want.code})`);
  const cls = errorClass(err);
  const Cls = s.ccxt.errors[want.cls];
  const text = err instanceof Error ? err.message : String(err);
  if (cls !== want.cls || Cls === undefined || !(err instanceof Cls)) throw new CheckFailure(`${cls}: ${text.slice(0, 200)}; expected ${want.cls}`);
  if (!text.includes(want.code)) throw new CheckFailure(`${cls} without the venue's ${want.code}: ${text.slice(0, 200)}`);
  return `${cls} (${want.code})`;
}

export async function badSignature(s: VenueSession): Promise<string> {
  const other = s.venue === 'binance' ? `${s.keys.secret.slice(1)}x` : generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
  const c = await s.newClient({ apiKey: s.keys.apiKey, secret: other });
  try {
    return await mustFail(s, 'badSignature', () => c.ex.fetchBalance());
  } finally {
    await c.ex.close();
  }
}

export async function skewedClock(s: VenueSession): Promise<string> {
  // The venue's clock 30 s behind ours: requests are stamped in its future (Binance -1021; Coinbase JWT nbf).
  await s.control.faults(s.venue, { clockOffsetMs: -30_000 });
  try {
    return `${await mustFail(s, 'skewedClock', () => s.client.ex.fetchBalance())} with the venue's clock 30 s behind (sim clockOffsetMs fault)`;
  } finally {
    await s.control.resetFaults(s.venue);
  }
}

export async function unknownOrder(s: VenueSession): Promise<string> {
  const id = s.venue === 'binance' ? '987654321' : '4d5c7e3a-0000-4000-8000-000000000000';
  const fetch = await mustFail(s, 'unknownOrderFetch', () => s.client.ex.fetchOrder(id, s.symbol));
  const cancel = await mustFail(s, 'unknownOrderCancel', () => s.client.ex.cancelOrder(id, s.symbol));
  return `fetchOrder ${fetch}, cancelOrder ${cancel}`;
}

export async function insufficientBalance(s: VenueSession): Promise<string> {
  const b = await s.control.book(s.venue, s.simSymbol);
  const price = onTick(Number(b.bids[0]?.[0] ?? 0) * 0.99);
  const usdt = Number((await s.control.account(s.venue)).balances.find((x) => x.asset === 'USDT')?.free ?? '0');
  // A buy worth 1.3 times the free USDT (well inside the symbol's notional limits).
  const amount = Math.ceil((usdt * 1.3 * 1000) / price) / 1000;
  return `${await mustFail(s, 'insufficient', () => s.client.ex.createOrder(s.symbol, 'limit', 'buy', amount, price))} for ${amount} BTC at ${price} with ${usdt} USDT free`;
}

export async function postOnlyWouldTake(s: VenueSession): Promise<string> {
  const b = await s.control.book(s.venue, s.simSymbol);
  const ask = Number(b.asks[0]?.[0] ?? 0);
  return mustFail(s, 'postOnlyTakes', () => s.client.ex.createOrder(s.symbol, 'limit', 'buy', 0.001, onTick(ask * 1.001, '0.01', 'up'), { postOnly: true }));
}
