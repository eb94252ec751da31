import type { NatsHandle, RedisHandle } from '@arb/testkit';

/** How a row came out: measured, not run here (missing build, ...), or the benchmark broke. */
export type RowStatus = 'ok' | 'skipped' | 'failed';

/** A target the value should meet, e.g. `>= 50000` updates/s or `<= 1` ms. */
export interface Target {
  readonly op: '>=' | '<=';
  readonly value: number;
}

/** One line of the report. Ratios are always against a baseline measured in the same run. */
export interface BenchRow {
  readonly group: string;
  readonly name: string;
  /** null when skipped or failed. */
  readonly value: number | null;
  readonly unit: string;
  /** Same-run reference figure (a floor or a ceiling) and what it is. */
  readonly baseline?: number;
  readonly baselineName?: string;
  /** value / baseline. */
  readonly ratio?: number;
  readonly target?: Target;
  /** Whether value meets target (only with a target and a value). */
  readonly meetsTarget?: boolean;
  readonly status: RowStatus;
  readonly note: string;
}

export interface BenchLogger {
  info(text: string): void;
  warn(text: string): void;
}

/** What every benchmark module gets: run options and resources shared by all modules of one run. */
export interface BenchContext {
  /** `--quick`: a short form of every benchmark (seconds, not minutes). */
  readonly quick: boolean;
  /** `--heavy`: also the heavy parts (50k updates/s end to end, the throughput ramp). */
  readonly heavy: boolean;
  /** `--soak` (`--soak-seconds N`): seconds of the memory soak; undefined when not asked for. */
  readonly soakSeconds: number | undefined;
  /** True when `--only` names this module by its full name (an opt-in module then runs without its flag). */
  named(module: string): boolean;
  /** Repository root (services are spawned from here). */
  readonly root: string;
  /** Output directory of this run (results, child logs under `logs/`). */
  readonly outDir: string;
  readonly log: BenchLogger;
  /** One nats-server for the whole run (JetStream off), started on first use. */
  nats(): Promise<NatsHandle>;
  /** One redis-server for the whole run, started on first use. */
  redis(): Promise<RedisHandle>;
  /**
   * Computes a value once per run and shares it between modules, e.g. the NATS floor at 5k msg/s that both the
   * floors module and the ingest latency module report against.
   */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T>;
  /** Registers cleanup run at the end of the whole run (after every module), last registered first. */
  defer(cleanup: () => Promise<void> | void): void;
}

/**
 * A benchmark: a named unit of the registry (`bench/src/registry.ts`), selectable with `--only <name|group>`.
 * `unavailable` names a reason to skip (e.g. the service is not built yet); `run` returns its rows and may throw
 * (the runner turns that into a failed row and goes on with the next module).
 */
export interface BenchModule {
  /** Unique, `group.part`, e.g. `floors.nats`. */
  readonly name: string;
  readonly group: string;
  readonly description: string;
  unavailable?(ctx: BenchContext): string | undefined;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}
