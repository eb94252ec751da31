import type { RuntimeConfig } from '@arb/contracts';
import { nowMs, type RuntimeConfigChange } from '@arb/service-kit';
import type { DetectorMetrics } from './metrics';
import type { DetectorParams } from './params';
import type { ParamsHolder } from './params-holder';
import { buildParamsSet } from './params-set';

type LogFn = (obj: Record<string, unknown>, msg: string) => void;

export interface RuntimeParamsOptions {
  holder: ParamsHolder;
  /** The params of the file config (the base every runtime layer applies to). */
  file: DetectorParams;
  /** Variant rotation bucket (`detector.variants.bucketMs`; 0: a route keeps its variant). */
  bucketMs: number;
  /** Throws when the opportunity math cannot use a params object (it is compiled here, off the hot path). */
  check?: (p: DetectorParams) => void;
  /** Called with every params object of a set once it is in force (the evaluator keeps per-params state). */
  applied?: (all: readonly DetectorParams[]) => void;
  metrics: Pick<DetectorMetrics, 'paramsRevision' | 'paramsRejected' | 'variantShare'>;
  logger: { info: LogFn; warn: LogFn; error: LogFn };
}

/**
 * The runtime-config listener of the detector: on every document (the initial one included) it resolves the default
 * params and every variant's params once, checks them all, and swaps the whole set into the holder, so the next
 * book update uses it. A set the math cannot use is counted and logged, and the previous one stays in force. The kill
 * switch does not stop detection (executors honour it); it is logged and kept in the set (metric
 * `runtime_config_kill_switch` comes from the store).
 */
export function runtimeParamsListener(o: RuntimeParamsOptions): (rc: RuntimeConfig, change: RuntimeConfigChange) => void {
  let version = o.file.version;
  return (rc, change) => {
    const set = buildParamsSet(o.file, rc, { revision: change.revision, version: version + 1, bucketMs: o.bucketMs });
    try {
      for (const p of set.all()) o.check?.(p);
    } catch (err) {
      o.metrics.paramsRejected.inc();
      o.logger.error(
        { err, revision: change.revision, inForce: o.holder.snapshot().revision },
        'runtime config gives params the detector cannot use: ignored, the previous params stay in force',
      );
      return;
    }
    version++;
    o.holder.set(set);
    o.applied?.(set.all());
    const appliedTs = nowMs();
    o.metrics.paramsRevision.set(change.revision);
    o.metrics.variantShare.reset();
    let rest = 1;
    for (const v of set.variants) {
      o.metrics.variantShare.labels(v.name).set(v.share);
      rest -= v.share;
    }
    o.metrics.variantShare.labels(set.base.variant).set(Math.max(0, rest));
    if (set.variants.some((v) => v.name === set.base.variant)) {
      o.logger.warn({ variant: set.base.variant }, 'a runtime variant has the name of this detector\'s default variant: their opportunities cannot be told apart');
    }
    o.logger.info(
      {
        revision: change.revision,
        appliedTs,
        version: set.base.version,
        killSwitch: rc.killSwitch,
        params: summary(set.base),
        variants: set.variants.map((v) => ({ name: v.name, share: v.share, params: summary(v.params) })),
      },
      'detection params applied',
    );
    if (rc.killSwitch && change.previous?.killSwitch !== true) {
      o.logger.warn({ killReason: rc.killReason }, 'kill switch on: detection continues, executors do not trade');
    }
  };
}

/** The runtime-tunable fields of one params object (for logs and /stats). */
export function summary(p: DetectorParams): Record<string, unknown> {
  return {
    variant: p.variant,
    minProfitPct: p.minProfitPct,
    minProfitUsd: p.minProfitUsd,
    riskLimitPerTrade: p.riskLimitPerTrade,
    minConfidence: p.minConfidence,
    stalenessMs: p.stalenessMs,
    executionWindowMs: p.executionWindowMs,
    volatility: p.volatility,
    risk: p.risk,
    confidence: p.confidence,
    edges: p.edges,
    suppression: p.suppression,
    marketability: p.marketability,
  };
}
