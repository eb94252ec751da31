import type { ExecutionReport } from '@arb/contracts';
import Big from 'big.js';
import type { SimOrder } from '../sim-control';
import type { FaultContext, Venue } from '../context';
import { now } from '../recorder';
import type { Check } from '../types';
import { sleep, waitFor, WaitTimeoutError } from '../wait';
import { tradedAfter } from './feed-fault';
import { legsText } from './leg-outcome';
import { ms, type Scenario } from './scenario';
import { closeWindow, closedAtVenues, tradeJournaled } from './trade-faults';

const ARRIVAL_DELAY_MS = 4000;
const LATE_FILL_MS = 2000;
/** Windows keep opening until the fault hit an order, this long at most. */
const INJECT_TIMEOUT_MS = 30_000;

interface LateCase {
  readonly tradeKey: string;
  readonly reports: ExecutionReport[];
  /** The order the fault hit, as the venue has it in the end. */
  readonly order: SimOrder | undefined;
  /** Jump → its truth journaled. */
  readonly ms: number;
}

/**
 * Opens windows (Binance +30 bps: buy Coinbase, sell Binance) with `faults` on `venue` for exactly one order (taken
 * off as soon as the venue counted it: the trade's buy; `meanwhile` is set instead until that order is at the venue),
 * and waits until every order of the trade is final at the venues and journaled with its fill (a late fill through a
 * correction).
 */
async function lateCase(
  ctx: FaultContext,
  venue: Venue,
  faults: Readonly<Record<string, number>>,
  counter: 'lateArrivals' | 'lateFills',
  /** The sim's tag of the faulted order (GET /control/orders `faults`). */
  tag: 'arrivalDelay' | 'lateFill',
  timeoutMs: number,
  windowMs: number,
  /** The faulted order can have shown its truth (arrived / booked its late fill) this long after it was seen at the venue. */
  settledMs: number,
  meanwhile: Readonly<Record<string, number | boolean>> = {},
): Promise<LateCase> {
  const { sim } = ctx;
  const before = (await sim.tradingStats()).faults[venue]?.[counter] ?? 0;
  const known = new Set((await sim.orders()).map((o) => o.tradeKey));
  await sim.tradingFaults(venue, faults);
  const t0 = now();
  try {
    // As a trader's market keeps offering windows: the shipped detector may pass on one (low confidence after the
    // previous case's incidents), so a new window opens once the last has closed, until an order takes the fault.
    const injected = async (): Promise<true | undefined> => (((await sim.tradingStats()).faults[venue]?.[counter] ?? 0) > before ? true : undefined);
    for (let windows = 1; ; windows++) {
      await sim.dislocate('BTC-USDT', 'binance', 30, windowMs);
      const left = t0 + INJECT_TIMEOUT_MS - now();
      try {
        await waitFor(`${venue} ${counter} injected`, injected, Math.max(0, Math.min(windowMs + 1000, left)), 5);
        break;
      } catch (e) {
        if (!(e instanceof WaitTimeoutError) || left <= windowMs + 1000) {
          throw new WaitTimeoutError(`${venue} ${counter} injected after ${windows} windows: not within ${INJECT_TIMEOUT_MS} ms`, { cause: e });
        }
      }
    }
    await sim.resetTradingFaults(venue);
    // The window closes at once: Binance back down, Coinbase (still holding) unchanged, so the late order finds its
    // price, and the executor does not trade the window over and over meanwhile (the suite's inventory is finite).
    await closeWindow(ctx);
    if (Object.keys(meanwhile).length > 0) await sim.tradingFaults(venue, meanwhile);
  } catch (e) {
    await sim.resetTradingFaults(venue);
    throw e;
  }
  let faulted: SimOrder;
  try {
    faulted = await waitFor('the faulted order at the venue', async () => (await sim.orders()).find((o) => !known.has(o.tradeKey) && (o.faults ?? []).includes(tag)), 15_000, 50);
  } finally {
    await sim.resetTradingFaults(venue);
  }
  const seen = now();
  const { tradeKey, clientOrderId } = faulted;
  // Every order final and journaled with its fill, once the faulted order can have shown its truth (arrived / booked).
  // Counted from when the order was seen, not from the first window: the fault may hit a later window's order, and a
  // trade journaled before its late fill was booked would pass for settled.
  const reports = await tradeJournaled(ctx, tradeKey, timeoutMs, () => now() - seen > settledMs);
  const took = now() - t0;
  const order = (await sim.orders(clientOrderId))[0];
  await sleep(Math.max(0, windowMs + 1000 - took)); // the window closed: the next case starts from a quiet market
  return { tradeKey, reports, order, ms: took };
}

const filled = (o: SimOrder | undefined): boolean => o !== undefined && !new Big(o.filledQty).eq(0);

const text = (rs: readonly ExecutionReport[]): string => rs.map((r) => `${r.corrects === undefined ? 'report' : 'correction'} ${r.status}: ${legsText(r)}`).join('; ');

/**
 * Fill reports that come late or never: (1) a Coinbase order reaches the venue 4 s after its request, which is never
 * answered: when the trade is journaled the venue does not know it yet ("not known" is not "never arrived"), then it
 * executes; (2) Coinbase first reports an order expired with 40 % filled and books the other 60 % 2 s later (a fill
 * corrected), announced only on its private stream. Both must be followed up after the trade and reach the journal
 * as a correction, and the exposure they reveal closed.
 */
export const lateFills: Scenario = {
  name: 'late-fills',
  fault: `a Coinbase order reaches the venue ${ARRIVAL_DELAY_MS / 1000} s late and is never answered (arrivalDelayMs); a Coinbase order is reported 40 % filled, the other 60 % booked ${LATE_FILL_MS / 1000} s later (lateFillShare 0.6)`,
  async run(ctx) {
    const { stack, sim } = ctx;
    // The window stays open past the late arrival, so the delayed Coinbase buy may still find its ask when it arrives;
    // the book may have moved meanwhile (an IOC that arrives late can expire unfilled): then another window.
    // Until the late order arrives Coinbase refuses the other orders (the executor's hedges of the "missing" buy), so
    // that they do not take the liquidity the late order finds when it arrives: its fill is the subject here.
    const arrival = (): Promise<LateCase> =>
      lateCase(ctx, 'coinbase', { arrivalDelayMs: ARRIVAL_DELAY_MS }, 'lateArrivals', 'arrivalDelay', 40_000, ARRIVAL_DELAY_MS + 4000, ARRIVAL_DELAY_MS + 500, { failAll: true });
    let late = await arrival();
    for (let attempt = 1; attempt < 3 && !filled(late.order); attempt++) {
      await ctx.quiesce(30_000);
      late = await arrival();
    }
    await ctx.quiesce(30_000);
    const corrected = await lateCase(ctx, 'coinbase', { lateFillShare: 0.6, lateFillMs: LATE_FILL_MS }, 'lateFills', 'lateFill', 40_000, 2500, LATE_FILL_MS + 1000);
    await ctx.quiesce(30_000);
    const [lateOrders, correctedOrders] = await Promise.all([sim.orders(`${late.tradeKey}-`), sim.orders(`${corrected.tradeKey}-`)]);
    const logged = stack.lines(stack.executor.label).some((l) => l.includes('late fill report') && l.includes(corrected.order?.clientOrderId ?? '-'));
    const firstUnknown = late.reports.find((r) => r.corrects === undefined)?.legs.some((l) => l.clientOrderId === late.order?.clientOrderId && l.status === 'unknown') ?? false;
    const checks: Check[] = [
      { name: 'late order journaled as unknown at first', ok: firstUnknown, detail: text(late.reports) },
      {
        name: 'late order corrected from the venue',
        ok: filled(late.order) && late.reports.some((r) => r.corrects !== undefined && r.legs.some((l) => l.clientOrderId === late.order?.clientOrderId && l.filledQty !== '0')),
        detail: `the late order filled ${late.order?.filledQty ?? '?'} at the venue; its truth journaled ${ms(late.ms)} after the jump`,
      },
      { ...closedAtVenues(lateOrders), name: 'late order: position closed at the venues' },
      { name: 'late fill seen on the private stream and logged', ok: logged, detail: logged ? 'the executor logged the late fill report' : 'no "late fill report" line' },
      { name: 'corrected fill reached the journal', ok: corrected.reports.some((r) => r.corrects !== undefined && r.legs.some((l) => l.clientOrderId === corrected.order?.clientOrderId)), detail: text(corrected.reports) },
      { ...closedAtVenues(correctedOrders), name: 'corrected fill: position closed at the venues' },
    ];
    const probe = await ctx.probeTrades();
    checks.push(tradedAfter(probe.reports, probe.firstMs));
    return {
      behaviour: [
        `late arrival: journaled with the Coinbase buy unknown, then followed up; the order executed ${ARRIVAL_DELAY_MS} ms after its request and a correction was journaled ${ms(late.ms)} after the jump: ${text(late.reports)}`,
        `late fill: the Coinbase buy first reported 40 % filled; the rest, booked ${LATE_FILL_MS} ms later, came on the private stream, was logged and followed up: ${text(corrected.reports)}`,
      ],
      recoveryMs: Math.max(late.ms, corrected.ms),
      recoveryOf: 'jump → the late fill journaled as a correction (the slower case)',
      lost: 'nothing: both late fills are in the journal (as corrections) and the exposure they revealed was closed',
      checks,
    };
  },
};
