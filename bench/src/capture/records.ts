/** What the capture benchmark records of every strategy's run, in one shape for ours and the baselines. */

/** `BTC-USDT:coinbase>binance`: buy on coinbase, sell on binance (the FlowWatch route format). */
export function routeOf(symbol: string, buy: string, sell: string): string {
  return `${symbol}:${buy}>${sell}`;
}

/** A decision to trade a route (ours: an Opportunity; a baseline: its rule passing), whether or not it traded. */
export interface Detection {
  readonly route: string;
  /** Local epoch ms (performance.timeOrigin + now) of the decision: ours detectedTs, a baseline's own clock. */
  readonly ts: number;
}

/** A decision that sent orders. */
export interface TradeRecord {
  readonly id: string;
  readonly route: string;
  readonly symbol: string;
  readonly ts: number;
  readonly size: string;
  /** Expected net profit (quote) of `size` at the VWAPs of the books the decision was made on, both taker fees. */
  readonly oracleQuote: string;
  /** The entry legs' client order ids (buy, sell) and any later ones (ours: hedge / unwind). */
  readonly buyCid: string;
  readonly sellCid: string;
  readonly extraCids: readonly string[];
  /** Ours only (from the ExecutionReport): when the executor received the opportunity and sent each entry leg. */
  readonly timing?: TradeTiming;
  /** Ours only (from the Opportunity): the worst levels the size touched and the IOC limits sent, per leg. */
  readonly prices?: { readonly buyTouched: string; readonly buyLimit: string; readonly sellTouched: string; readonly sellLimit: string };
}

/** Local epoch ms of one of our trades' steps (the ExecutionReport's timings and entry legs). */
export interface TradeTiming {
  readonly receivedTs: number;
  readonly buySentTs: number | null;
  readonly sellSentTs: number | null;
  readonly buyAckTs: number | null;
  readonly sellAckTs: number | null;
}

/** One order as the sim recorded it (GET /control/orders, the contract's OrderState fields used here). */
export interface SimOrder {
  readonly venue: string;
  readonly symbol: string;
  readonly clientOrderId: string;
  readonly side: 'buy' | 'sell';
  readonly requestedQty: string;
  readonly filledQty: string;
  readonly filledQuote: string;
  readonly fee: string;
  readonly feeAsset: string;
  /** When the order reached the sim's engine (local epoch ms), its limit and average fill price. */
  readonly createdTs?: number;
  readonly limitPrice?: string | null;
  readonly avgPrice?: string | null;
}

/** A ground-truth window (GET /control/windows v1, the fields used here). */
export interface SimWindow {
  readonly id: number;
  readonly symbol: string;
  readonly buyVenue: string;
  readonly sellVenue: string;
  readonly cause: 'dislocate' | 'jump' | 'noise';
  readonly open: boolean;
  readonly openTs: number;
  readonly openModelMs: number;
  readonly closeTs: number | null;
  readonly durationModelMs: number | null;
  readonly closeReason: 'rival' | 'convergence' | 'account' | null;
  readonly best: { readonly edgeBps: number; readonly size: string; readonly profitQuote: string };
  /** Rival takers' sweeps of this window (local epoch ms, the reaction drawn, base taken on each venue). */
  readonly rivalSweeps?: readonly { readonly ts: number; readonly reactionMs: number; readonly buyQty: string; readonly sellQty: string }[];
  /** The window's state when it opened: best ask / bid and the worst levels its size touches. */
  readonly atOpen?: { readonly buyPrice: string; readonly sellPrice: string; readonly size: string };
}

/** Everything one strategy's run left for the matcher. */
export interface StrategyRun {
  readonly name: string;
  /** The rule and its parameters, printed with the table. */
  readonly params: string;
  readonly detections: readonly Detection[];
  readonly trades: readonly TradeRecord[];
  /** Windows opened between the schedule's first model instant and the end of the run. */
  readonly windows: readonly SimWindow[];
  readonly orders: readonly SimOrder[];
  /** End-of-run mark per symbol (mean of both venues' true mids), to value a leftover base position. */
  readonly marks: Readonly<Record<string, string>>;
  /** Model instant the schedule started at (same for every strategy unless a run was late: then noted). */
  readonly startModelMs: number;
  readonly notes: readonly string[];
}
