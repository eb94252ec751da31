import { Type, type Static } from '@sinclair/typebox';
import { UDECIMAL_PATTERN } from '@arb/contracts';

const Dec = Type.String({ pattern: UDECIMAL_PATTERN, maxLength: 40 });
const Rate = (description: string) => Type.Number({ minimum: 0, maximum: 1, default: 0, description });
const Asset = Type.String({ pattern: '^[A-Z0-9]{1,20}$' });

/** Starting balances per asset (free; nothing locked). */
export const BalancesConfig = Type.Record(Asset, Dec, { default: {} });
export type BalancesConfig = Static<typeof BalancesConfig>;

/**
 * A Binance account: its API key and either an HMAC `secretKey` or the `publicKey` (PEM) of an Ed25519 or RSA key
 * pair (the venue's three key types; requests are then signed with the private key, base64 signatures).
 */
export const BinanceAccountConfig = Type.Object(
  {
    apiKey: Type.String({ pattern: '^[A-Za-z0-9]{8,128}$' }),
    secretKey: Type.Optional(Type.String({ minLength: 8, maxLength: 256 })),
    publicKey: Type.Optional(Type.String({ pattern: '-----BEGIN PUBLIC KEY-----' })),
    balances: BalancesConfig,
  },
  { additionalProperties: false },
);
export type BinanceAccountConfig = Static<typeof BinanceAccountConfig>;

/** A Coinbase CDP key: its name (`organizations/{org}/apiKeys/{id}`) and the EC P-256 PUBLIC key (PEM) to verify JWTs. */
export const CoinbaseAccountConfig = Type.Object(
  {
    keyName: Type.String({ minLength: 1, maxLength: 256 }),
    publicKey: Type.String({ pattern: '-----BEGIN PUBLIC KEY-----' }),
    balances: BalancesConfig,
  },
  { additionalProperties: false },
);
export type CoinbaseAccountConfig = Static<typeof CoinbaseAccountConfig>;

export const AccountsConfig = Type.Object(
  {
    binance: Type.Array(BinanceAccountConfig, { default: [] }),
    coinbase: Type.Array(CoinbaseAccountConfig, { default: [] }),
  },
  { additionalProperties: false, default: {} },
);
export type AccountsConfig = Static<typeof AccountsConfig>;

/** Trading fault injection of one venue (all off by default). */
export const TradingFaultsConfig = Type.Object(
  {
    /** Fraction of orders rejected as the venue would (Binance -2010, Coinbase success:false). */
    rejectRate: Rate('fraction of orders rejected'),
    /** Fraction of orders that execute but whose HTTP response never comes (held open until the client gives up). */
    timeoutRate: Rate('fraction of orders executed without an answer'),
    /** Every order waits this long (received, not yet matched) before it executes and is answered. */
    slowAckMs: Type.Number({ minimum: 0, maximum: 600_000, default: 0 }),
    /** Fraction of order requests answered with a 5xx (the order is NOT executed). */
    error5xxRate: Rate('fraction of order requests failing with 5xx'),
    /** Reject every order on this venue. */
    failAll: Type.Boolean({ default: false }),
    /**
     * Every order reaches the matching engine only this long after its request (a request delayed on its way): until
     * then the venue does not know it (queries and cancels answer "unknown order"); the request is never answered.
     */
    arrivalDelayMs: Type.Number({ minimum: 0, maximum: 600_000, default: 0 }),
    /**
     * Share of each order's fill that the venue books and reports only `lateFillMs` later (a fill reported late and
     * then corrected): the order is first reported final (expired) with the rest; 0 = off.
     */
    lateFillShare: Rate('share of each fill reported late'),
    lateFillMs: Type.Number({ minimum: 0, maximum: 600_000, default: 2000 }),
    /**
     * Refuse every signed trading request (orders, queries, cancels, account) with this HTTP status before anything
     * else, as a venue does for an IP it rate-limits (429) or bans (418, Binance only); 0 = off.
     */
    refuseStatus: Type.Union([Type.Literal(0), Type.Literal(418), Type.Literal(429)], { default: 0 }),
    /** The Retry-After header (seconds) of a refused request. */
    refuseRetryAfterS: Type.Integer({ minimum: 1, maximum: 86_400, default: 60 }),
  },
  { additionalProperties: false, default: {} },
);
export type TradingFaultsConfig = Static<typeof TradingFaultsConfig>;
export const TradingFaultsPatch = Type.Partial(TradingFaultsConfig, { additionalProperties: false });
export type TradingFaultsPatch = Static<typeof TradingFaultsPatch>;

export const TRADING_FAULTS_OFF: TradingFaultsConfig = {
  rejectRate: 0,
  timeoutRate: 0,
  slowAckMs: 0,
  error5xxRate: 0,
  failAll: false,
  arrivalDelayMs: 0,
  lateFillShare: 0,
  lateFillMs: 2000,
  refuseStatus: 0,
  refuseRetryAfterS: 60,
};

const venueTrading = {
  /** Taker fee rate (decimal string, e.g. '0.001' = 10 bps). */
  takerFee: Dec,
  /** Maker fee rate: fills of resting (GTC / post-only) orders. */
  makerFee: Dec,
  /** Fees are rounded DOWN to this many decimals (per fill). */
  feeDecimals: Type.Integer({ minimum: 0, maximum: 18, default: 8 }),
  faults: TradingFaultsConfig,
};

export const TradingConfig = Type.Object(
  {
    /** A trade (clientOrderId before the last '-') stays in flight this long after its last order is final. */
    tradeHoldMs: Type.Number({ minimum: 0, maximum: 600_000, default: 0 }),
    /** Orders kept per venue; beyond it the oldest final ones are forgotten (queries answer "unknown order"). */
    maxOrders: Type.Integer({ minimum: 10, maximum: 10_000_000, default: 200_000 }),
    binance: Type.Object(
      {
        ...venueTrading,
        takerFee: Type.String({ pattern: UDECIMAL_PATTERN, maxLength: 40, default: '0.001' }),
        /** Binance's regular tier: maker 0.1 % like taker. */
        makerFee: Type.String({ pattern: UDECIMAL_PATTERN, maxLength: 40, default: '0.001' }),
        /** Commission asset: 'received' (base on buys, quote on sells: Binance's default) or always 'quote'. */
        commission: Type.Union([Type.Literal('received'), Type.Literal('quote')], { default: 'received' }),
        /**
         * Unfilled order count limits per account (rest-api.md / faqs/order_count_decrement.md): new orders per fixed
         * 10 s window and per UTC day; an order's first fill takes it off again. Over the limit → 429 -1015.
         * Defaults are Binance's documented 50 / 160000; config/sim.yaml raises them for the sim stack.
         */
        ordersPer10s: Type.Integer({ minimum: 1, maximum: 1_000_000_000, default: 50 }),
        ordersPerDay: Type.Integer({ minimum: 1, maximum: 1_000_000_000_000, default: 160_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
    coinbase: Type.Object(
      {
        ...venueTrading,
        takerFee: Type.String({ pattern: UDECIMAL_PATTERN, maxLength: 40, default: '0.006' }),
        /** Coinbase Advanced's entry tier: maker 0.4 %, taker 0.6 %. */
        makerFee: Type.String({ pattern: UDECIMAL_PATTERN, maxLength: 40, default: '0.004' }),
        /** Clock leeway (s) for the JWT nbf/exp checks. */
        jwtLeewayS: Type.Integer({ minimum: 0, maximum: 300, default: 5 }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);
export type TradingConfig = Static<typeof TradingConfig>;
