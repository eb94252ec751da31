import { createLogger, createMetricsRegistry, createRateLimitedLog, startHttpServer, type HttpServer, type Logger, type Registry } from '@arb/service-kit';
import { BinanceVenue } from './binance/venue';
import { CoinbaseVenue } from './coinbase/venue';
import type { SimConfig } from './config/schema';
import { controlRoutes } from './control/routes';
import { registerSimMetrics, registerTradingMetrics, registerWorldMetrics } from './metrics';
import { Market } from './model/market';
import { Rng } from './model/rng';
import { venueFeePolicy } from './trading/fees';
import { TradeTracker } from './trading/trade-tracker';
import { VenueTrading } from './trading/venue-trading';
import { SimWorld } from './world/world';

export interface ExchangeSimPorts {
  binance: number;
  coinbase: number;
  control: number;
}

export interface ExchangeSim {
  readonly ports: ExchangeSimPorts;
  /** The model (books, counters) for in-process inspection. */
  readonly market: Market;
  /** Windows (ground truth), rivals and convergence around the model. */
  readonly world: SimWorld;
  readonly binance: BinanceVenue;
  readonly coinbase: CoinbaseVenue;
  /** Trade concurrency and order/fill counters over both venues (GET /control/trading-stats). */
  readonly tracker: TradeTracker;
  /** Closes every server and connection and stops the model timer. Idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Metrics go here (default: a fresh registry without process metrics). */
  registry?: Registry;
  /** Default: a silent logger. */
  logger?: Logger;
}

/**
 * Starts the simulated venues and the control/metrics server. `config` is a complete `sim`
 * section (see parseSimConfig / testSimConfig). Ports 0 are ephemeral: read `ports`.
 */
export async function startExchangeSim(config: SimConfig, opts: StartOptions = {}): Promise<ExchangeSim> {
  const logger = opts.logger ?? createLogger({ name: 'exchange-sim', level: 'silent' });
  const registry = opts.registry ?? createMetricsRegistry({ service: 'exchange-sim', defaultMetrics: false });
  const market = new Market(config);
  market.clearStep();
  const faultRng = new Rng(config.seed).fork(99);
  const badLog = createRateLimitedLog(logger, 10_000);
  let badCounter: ((venue: string, kind: string) => void) | null = null;
  const badInput = (venue: string, kind: string, detail = ''): void => {
    badCounter?.(venue, kind);
    badLog(`${venue}:${kind}`, { venue, detail }, 'rejected client input');
  };
  const tracker = new TradeTracker(() => config.trading.tradeHoldMs);
  const booksOf = (v: 'binance' | 'coinbase') => new Map([...(market.byVenue.get(v)?.entries() ?? [])]);
  const tradingRng = new Rng(config.seed).fork(77);
  const binanceTrading = new VenueTrading('binance', booksOf('binance'), venueFeePolicy(config.trading, 'binance'), config.trading.binance.faults, tradingRng.fork(1), tracker, config.trading.maxOrders);
  const coinbaseTrading = new VenueTrading('coinbase', booksOf('coinbase'), venueFeePolicy(config.trading, 'coinbase'), config.trading.coinbase.faults, tradingRng.fork(2), tracker, config.trading.maxOrders);
  const world = new SimWorld(market, config, { binance: binanceTrading.engine, coinbase: coinbaseTrading.engine });
  for (const t of [binanceTrading, coinbaseTrading]) {
    t.engine.onEvent((e) => {
      if (e.type === 'done') world.onOrderDone(e.order);
    });
  }
  const binance = new BinanceVenue(config, market, faultRng.fork(1), badInput, binanceTrading);
  const coinbase = new CoinbaseVenue(config, market, faultRng.fork(2), badInput, coinbaseTrading);
  const { badInput: counter } = registerSimMetrics(registry, market.counters, { binance: binance.stats, coinbase: coinbase.stats });
  badCounter = (venue, kind) => counter.inc({ venue, kind });
  registerTradingMetrics(registry, tracker);
  registerWorldMetrics(registry, world);

  let running = true;
  let control: HttpServer | null = null;
  let timer: NodeJS.Timeout | null = null;
  try {
    const bPort = await binance.listen();
    const cPort = await coinbase.listen();
    control = await startHttpServer({
      host: config.host,
      port: config.control.port,
      registry,
      logger,
      ready: () => running,
      routes: controlRoutes({ market, world, binance, coinbase, tracker, startedAt: Date.now(), onBadInput: (k, d) => badInput('control', k, d) }),
    });
    const ports = { binance: bPort, coinbase: cPort, control: control.port };
    const t0 = performance.now();
    let done = 0;
    const loop = (): void => {
      if (!running) return;
      const due = Math.floor((performance.now() - t0) / config.tickMs);
      if (due - done > config.rate.maxCatchUpSteps) done = due - config.rate.maxCatchUpSteps;
      while (done < due) {
        world.step();
        binance.onStep();
        coinbase.onStep();
        market.clearStep();
        done++;
      }
      binance.flushDue(Date.now());
      timer = setTimeout(loop, Math.max(0, t0 + (done + 1) * config.tickMs - performance.now()));
    };
    timer = setTimeout(loop, config.tickMs);
    let stopping: Promise<void> | null = null;
    const closeControl = control;
    return {
      ports,
      market,
      world,
      binance,
      coinbase,
      tracker,
      stop() {
        stopping ??= (async () => {
          running = false;
          if (timer) clearTimeout(timer);
          await Promise.all([binance.close(), coinbase.close(), closeControl.close()]);
        })();
        return stopping;
      },
    };
  } catch (err) {
    running = false;
    await Promise.allSettled([binance.close(), coinbase.close(), control?.close()]);
    throw err;
  }
}
