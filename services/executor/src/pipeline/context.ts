import type { ExecutionReport, ExecutionStatus } from '@arb/contracts';
import type { VenueTradingClient } from '@arb/venues';
import type { IdempotencyGuard, InventoryLedger, RedisSemaphore, ReplicaAck, RouteLock } from '../coordination';
import type { InflightStore } from '../inflight/store';
import type { Journal } from '../journal';
import type { ExecutorMetrics } from '../metrics';
import type { LateFillWatch } from '../trade/late-fills';
import type { AdmissionDeps } from '../admission/admission';
import type { LegRiskSettings } from '../trade/leg-risk';
import type { OrderTracker } from '../trade/order-tracker';
import type { UsdRates } from '../trade/usd';
import type { FeeTable, InstrumentTable } from '../venues/instruments';
import type { PriorityGate } from './priority-gate';

export interface ExecutorSettings {
  executorId: string;
  dedupTtlMs: number;
  orderTimeoutMs: number;
  pollIntervalMs: number;
  leaseRenewIntervalMs: number;
  routeLockTtlMs: number;
  onBusy: 'wait' | 'skip';
  busyWaitMs: number;
  inventoryEnabled: boolean;
  legRisk: LegRiskSettings;
  /** Redis errors of the in-flight record write before a hedge/unwind order are retried this long (then not sent). */
  recordWriteRetryMs: number;
}

export interface Warn {
  (kind: string, obj: Record<string, unknown>, msg: string): void;
}

/** Everything a trade touches; built once by main (or a test). */
export interface ExecutorDeps {
  settings: ExecutorSettings;
  clients: ReadonlyMap<string, VenueTradingClient>;
  tracker: OrderTracker;
  instruments: InstrumentTable;
  fees: FeeTable;
  usd: UsdRates;
  /** The semaphore with the current limit; null when the limit is 0 (no trading). */
  semaphore(): RedisSemaphore | null;
  routeLock: RouteLock;
  ledger: InventoryLedger;
  idempotency: IdempotencyGuard;
  inflight: InflightStore;
  journal: Journal;
  runtime: { readonly killed: boolean; readonly killReason: string | undefined };
  /** The pre-trade checks (age, kill switch, venue health, risk feed, book cross-check, risk limits). */
  admission: AdmissionDeps;
  /** This process's waiters for a semaphore slot, best expected profit first. */
  gate?: PriorityGate;
  /** Sentinel: WAIT for replicas to hold the coordination keys before orders leave. */
  replicaAck?: ReplicaAck;
  /** Opportunity ids this process is trading now (the sweeper leaves their records alone). */
  active: Set<string>;
  metrics: ExecutorMetrics;
  warn: Warn;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** This process's trades, for private-stream updates that come after a trade stopped following its orders. */
  lateFills?: LateFillWatch;
  /** Called with each journaled report of this process (metrics, risk hooks). */
  onReport?(report: ExecutionReport, stored: boolean): void;
}

/** Outcome of handling one message: journaled, a duplicate (someone else handles it), or come back later. */
export type HandleResult =
  | { kind: 'journaled'; status: ExecutionStatus; report: ExecutionReport }
  | { kind: 'duplicate' }
  | { kind: 'retry'; error: unknown };
