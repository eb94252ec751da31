import { nowMs, sleep } from '../lib/clock';
import { promSamples } from '@arb/testkit';
import { row } from '../lib/rows';
import { median } from '../lib/stats';
import { benchSettings } from '../settings';
import { E2E_SYMBOLS, E2eStack } from '../stack/e2e-stack';
import { FlowWatch, type OppSeen } from '../stack/flow-watch';
import { servicesUnavailable } from '../stack/services';
import type { BenchModule, BenchRow } from '../types';
import { RestPoller } from './rest-poller';

const GROUP = 'peer';
/** The sim-mode taker fees (config/sim.yaml) and the detector's default net-edge threshold (2 bps). */
const FEES = { binance: 0.0002, coinbase: 0.0003 } as const;
const MIN_EDGE = 0.0002;
const JUMP_BPS = 30;
/** How long each window stays open (the other venue follows after that), cycled: real windows last ms to seconds. */
const DURATIONS_MS = [150, 300, 600, 1200];
/** After a window closes, this long for the venues to realign before the next one. */
const GAP_MS = 1500;

/**
 * A second detector deciding on the pollers' rule (cross after fees ≥ 2 bps, nothing else): no confidence gate, no
 * volatility add-on. Its opportunities carry this variant.
 */
const SAME_RULE_VARIANT = 'samerule';
const SAME_RULE: Readonly<Record<string, string>> = {
  ARB__DETECTOR__VARIANT: SAME_RULE_VARIANT,
  ARB__DETECTOR__MIN_CONFIDENCE: '0',
  ARB__DETECTOR__RISK__SIGMAS: '0',
};

interface Method {
  readonly name: string;
  readonly delays: number[];
  missed: number;
}

/**
 * How late a timer-driven REST polling bot (every 100 ms, every 1 s) notices an arbitrage window compared with our
 * event-driven path (exchange-sim → feed-ingestors → detector → Opportunity), all watching the same sim at once.
 * The bench opens windows with POST /control/dislocate (one venue jumps 30 bps, the other follows after 150-1200
 * ms) and notes the time; a method's delay is from then to its first detection of that route (for ours, the
 * Opportunity's arrival here). Windows a method never saw are counted as missed.
 */
export const peerPollingBench: BenchModule = {
  name: 'peer.polling',
  group: GROUP,
  description: 'dislocation → detection: REST polling every 100 ms / 1 s vs our event-driven path, same sim, same windows',
  unavailable: (ctx) => servicesUnavailable(ctx.root, ['exchange-sim', 'feed-ingestor', 'detector']),
  async run(ctx) {
    const s = benchSettings(ctx.quick);
    const stack = await E2eStack.start(ctx, {
      label: 'peer-polling',
      levelUpdatesPerSec: s.pollingLevelRate,
      jumpsPerMinute: 0,
      executor: false,
      detectors: [
        { label: 'detector', env: {} },
        { label: 'detector-samerule', env: SAME_RULE },
      ],
    });
    const watch = await FlowWatch.start(stack.servers.nats.url);
    const pollers = s.pollIntervalsMs.map(
      (intervalMs) =>
        new RestPoller({
          binanceUrl: `http://127.0.0.1:${stack.sim.ports.binance}`,
          coinbaseUrl: `http://127.0.0.1:${stack.sim.ports.coinbase}`,
          symbols: E2E_SYMBOLS,
          intervalMs,
          fees: FEES,
          minEdge: MIN_EDGE,
        }),
    );
    try {
      for (const p of pollers) p.start();
      await sleep(2000); // feeds live, volatility estimators past their warm-up
      const rejected0 = rejections(await stack.detector.metrics());
      const ours: Method = { name: 'event-driven (ours, same rule)', delays: [], missed: 0 };
      const shipped: Method = { name: 'event-driven (ours, shipped confidence rules)', delays: [], missed: 0 };
      const detected: number[] = [];
      const polled: Method[] = pollers.map((p) => ({ name: `REST poll every ${p.intervalMs} ms`, delays: [], missed: 0 }));
      ctx.log.info(`${s.dislocations} dislocations of ${JUMP_BPS} bps, windows ${DURATIONS_MS.join('/')} ms`);
      for (let i = 0; i < s.dislocations; i++) {
        const symbol = E2E_SYMBOLS[i % E2E_SYMBOLS.length] as string;
        const venue = Math.floor(i / E2E_SYMBOLS.length) % 2 === 0 ? 'binance' : 'coinbase';
        const other = venue === 'binance' ? 'coinbase' : 'binance';
        const durationMs = DURATIONS_MS[i % DURATIONS_MS.length] as number;
        const t0 = nowMs();
        await stack.sim.control('/control/dislocate', { symbol, venue, bps: JUMP_BPS, durationMs });
        await sleep(durationMs + GAP_MS);
        const end = t0 + durationMs + GAP_MS;
        // The jumping venue's bids are now above the other's asks: buy there, sell here.
        const first = (variant: string): OppSeen | undefined =>
          watch.oppList.find((o) => o.variant === variant && o.route === `${symbol}:${other}>${venue}` && o.at >= t0 && o.at < end);
        const opp = first(SAME_RULE_VARIANT);
        if (opp === undefined) ours.missed++;
        else {
          ours.delays.push(opp.at - t0);
          detected.push(opp.detectedTs - t0);
        }
        const dflt = first('default');
        if (dflt === undefined) shipped.missed++;
        else shipped.delays.push(dflt.at - t0);
        pollers.forEach((p, k) => {
          const at = p.firstBetween(symbol, other, venue, t0, end);
          const m = polled[k] as Method;
          if (at === undefined) m.missed++;
          else m.delays.push(at - t0);
        });
      }
      const errors = pollers.reduce((n, p) => n + p.errors, 0);
      const rejected1 = rejections(await stack.detector.metrics()); // the shipped-rules detector
      const why = [...rejected1.entries()]
        .map(([k, v]) => [k, v - (rejected0.get(k) ?? 0)] as const)
        .filter(([, v]) => v > 0)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      return rows(ours, shipped, detected, polled, s.dislocations, errors, await stack.incidents(), why);
    } finally {
      for (const p of pollers) await p.stop();
      await watch.close();
      await stack.stop();
    }
  },
};

/** detector_rejections_total by reason (every symbol), without `no-edge` (the normal state). */
function rejections(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const sm of promSamples(text, 'detector_rejections_total')) {
    const reason = sm.labels.get('reason') ?? '?';
    if (reason !== 'no-edge') out.set(reason, (out.get(reason) ?? 0) + sm.value);
  }
  return out;
}

function rows(
  ours: Method,
  shipped: Method,
  detected: number[],
  polled: Method[],
  windows: number,
  errors: number,
  incidents: string[],
  rejected: string,
): BenchRow[] {
  const status = incidents.length > 0 ? 'failed' : 'ok';
  const base = ours.delays.length > 0 ? median(ours.delays) : undefined;
  const line = (m: Method, note: string): BenchRow =>
    row({
      group: GROUP,
      name: `dislocation→detection median, ${m.name}`,
      value: m.delays.length > 0 ? median(m.delays) : null,
      unit: 'ms',
      ...(base !== undefined && m !== ours ? { baseline: base, baselineName: 'event-driven (ours, same rule) median' } : {}),
      status: m.delays.length === 0 ? 'failed' : status,
      note: `detected ${m.delays.length}/${windows} windows (missed ${m.missed}); max ${m.delays.length > 0 ? Math.max(...m.delays).toFixed(0) : '-'} ms; ${note}`,
    });
  return [
    line(
      ours,
      `first Opportunity of the route received here (detectedTs − dislocation: median ${detected.length > 0 ? median(detected).toFixed(1) : '-'} ms); detector deciding on the pollers' rule (minConfidence 0, no volatility add-on)${incidents.length > 0 ? `; PROBLEMS: ${incidents.join('; ')}` : ''}`,
    ),
    line(shipped, `the detector as shipped (confidence ≥ 0.6 incl. edge persistence and volatility, dynamic threshold); its rejections meanwhile: ${rejected || 'none'}`),
    ...polled.map((m) => line(m, `GET both venues' books per tick, cross after fees ≥ 2 bps${errors > 0 ? `; ${errors} failed requests` : ''}`)),
  ];
}
