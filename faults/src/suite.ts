import { cpus, totalmem } from 'node:os';
import { probeNats, promSamples, promValue } from '@arb/testkit';
import { join } from 'node:path';
import { checkInvariants, invariantsOk } from './check-invariants';
import { FaultContext, type Scale } from './context';
import { now, Recorder } from './recorder';
import { CLUSTER_SCENARIOS, SCENARIOS, type Scenario } from './scenarios';
import { VENUES, FaultStack, STACK_SETTINGS } from './stack';
import type { FaultResult, ScenarioOutcome, SuiteReport } from './types';
import { sleep } from './wait';

export type Form = 'short' | 'full';

export const SCALES: Readonly<Record<Form, Scale>> = {
  short: { faultMs: 3000, probes: 1 },
  full: { faultMs: 15_000, probes: 3 },
};

export interface SuiteOptions {
  readonly form: Form;
  /** Scenario names to run (default: all, in order). */
  readonly only?: readonly string[];
  /** Service logs go to `<outDir>/logs`. */
  readonly outDir: string;
  readonly command: string;
  readonly log: (line: string) => void;
  /** Nodes of the NATS cluster the stack runs on; > 1 runs the cluster scenarios. Default 1. */
  readonly natsCluster?: number;
}

/** A cluster stack runs two executors (the work queue shared, one semaphore) and the stats service. */
export const CLUSTER_EXECUTORS = 2;

/** A scenario name that does not exist. */
export class UnknownScenarioError extends Error {
  override readonly name = 'UnknownScenarioError';
}

/**
 * The scenarios to run: `only` (in suite order), else every scenario of the form (the short form skips `fullOnly`);
 * the cluster scenarios when the stack runs on a NATS cluster.
 */
export function selectScenarios(only: readonly string[] | undefined, form: Form = 'full', natsCluster = 1): readonly Scenario[] {
  const all = natsCluster > 1 ? CLUSTER_SCENARIOS : SCENARIOS;
  if (only === undefined || only.length === 0) return form === 'short' ? all.filter((s) => s.fullOnly !== true) : all;
  const unknown = only.filter((n) => !all.some((s) => s.name === n));
  if (unknown.length > 0) {
    const hint = natsCluster === 1 && unknown.every((n) => CLUSTER_SCENARIOS.some((s) => s.name === n)) ? ' (cluster scenarios need --nats-cluster 3)' : '';
    throw new UnknownScenarioError(`unknown scenario(s) ${unknown.join(', ')}${hint}; known: ${all.map((s) => s.name).join(', ')}`);
  }
  return all.filter((s) => only.includes(s.name));
}

/** Puts every fault switch back to off (a failed scenario may have left one on). */
async function resetAll(ctx: FaultContext): Promise<void> {
  for (const v of VENUES) {
    await ctx.sim.resetFaults(v);
    await ctx.sim.resetTradingFaults(v);
  }
}

const failed = (error: unknown): ScenarioOutcome => ({
  behaviour: [],
  recoveryMs: null,
  recoveryOf: 'the scenario did not complete',
  lost: `unknown: ${error instanceof Error ? error.message : String(error)}`,
  checks: [],
});

/** Counters that say why nothing was traded: the detector's rejections by reason, the executor's skips. */
async function diagnosis(stack: FaultStack): Promise<string> {
  const labelled = (text: string, metric: string): string =>
    promSamples(text, metric)
      .filter((x) => x.value > 0)
      .map((x) => `${[...x.labels.values()].join('/')}=${x.value}`)
      .join(' ');
  try {
    const d = await stack.metrics('detector');
    const e = await stack.metrics(stack.executor.label);
    return `detector rejections ${labelled(d, 'detector_rejections_total') || 'none'}; opportunities ${promValue(d, 'detector_opportunities_total') ?? 0}; executor skipped ${labelled(e, 'executor_opportunities_skipped_total') || 'none'}`;
  } catch (e) {
    return `no diagnosis: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** The nats-server version the stack runs (from a node's INFO). */
async function serverVersion(stack: FaultStack): Promise<string> {
  const node = stack.cluster?.nodes.find((n) => n.running);
  if (node === undefined) return 'unknown';
  return (await probeNats(node.host, node.port).catch(() => ({ version: 'unknown' }))).version ?? 'unknown';
}

export function machine(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform}`;
}

/**
 * Starts the whole system, then injects each fault in turn on the same running stack (restarted parts stay
 * restarted), checking the three invariants after each fault and once more at the end over the whole run.
 */
export async function runSuite(o: SuiteOptions): Promise<SuiteReport> {
  const size = o.natsCluster ?? 1;
  const scenarios = selectScenarios(o.only, o.form, size);
  const scale = SCALES[o.form];
  const startedAt = new Date().toISOString();
  const t0 = now();
  const cluster = size > 1;
  o.log(
    cluster
      ? `starting the stack (a ${size}-node NATS cluster, redis-server, exchange-sim, 2 feed-ingestors, detector, ${CLUSTER_EXECUTORS} executors, stats)`
      : 'starting the stack (nats-server, redis-server, exchange-sim, 2 feed-ingestors, detector, executor)',
  );
  const stack = await FaultStack.start(join(o.outDir, 'logs'), STACK_SETTINGS, cluster ? { natsCluster: size, executors: CLUSTER_EXECUTORS, stats: true } : {});
  let recorder: Recorder | undefined;
  let ctx: FaultContext | undefined;
  const faults: FaultResult[] = [];
  try {
    recorder = await Recorder.start(stack.natsUrl);
    ctx = new FaultContext(stack, recorder, STACK_SETTINGS, scale, await stack.control.holdings());
    await ctx.booksFlowing(now(), 30_000);
    await sleep(3000); // volatility estimators and edge persistence warm up on live books
    ctx.startLeaseSampler();
    for (const s of scenarios) {
      o.log(`▶ ${s.name}: ${s.fault}`);
      const start = now();
      let outcome: ScenarioOutcome;
      let error: string | undefined;
      try {
        outcome = await s.run(ctx);
      } catch (e) {
        error = `${e instanceof Error ? e.message : String(e)} (${await diagnosis(stack)})`;
        outcome = failed(e);
      }
      await resetAll(ctx);
      await ctx.quiesce().catch((e: unknown) => (error ??= `not quiet after the scenario: ${e instanceof Error ? e.message : String(e)}`));
      const invariants = await checkInvariants(ctx, start);
      const ok = error === undefined && outcome.checks.every((c) => c.ok) && invariantsOk(invariants);
      faults.push({ name: s.name, fault: s.fault, durationMs: now() - start, ...outcome, invariants, ok, ...(error !== undefined ? { error } : {}) });
      o.log(`${ok ? '✓' : '✗'} ${s.name} (${((now() - start) / 1000).toFixed(1)} s)${error !== undefined ? `: ${error}` : ''}`);
    }
    const final = await checkInvariants(ctx, 0);
    if (recorder.invalid > 0) o.log(`✗ ${recorder.invalid} message(s) on the bus failed their schema (see the services' logs)`);
    return {
      v: 1,
      form: o.form,
      startedAt,
      durationMs: now() - t0,
      machine: machine(),
      command: o.command,
      settings: {
        ...STACK_SETTINGS,
        faultMs: scale.faultMs,
        probesPerFault: scale.probes,
        ...(cluster ? { natsNodes: size, natsReplicas: size, executors: CLUSTER_EXECUTORS, natsServer: await serverVersion(stack) } : {}),
      },
      faults,
      final,
      ok: faults.every((f) => f.ok) && invariantsOk(final),
    };
  } finally {
    ctx?.stopLeaseSampler();
    await recorder?.close();
    await stack.stop();
  }
}
