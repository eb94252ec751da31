import { token } from './token';

/** JetStream streams, consumers and KV buckets, with their subjects. */
export const streams = {
  opportunities: { name: 'ARB_OPPS', subjects: ['arb.opp.>'] },
  executions: { name: 'ARB_EXECS', subjects: ['arb.exec.>'] },
} as const;

export const consumers = {
  /** Shared pull consumer of all executor replicas on ARB_OPPS. */
  executor: (): string => 'executor',
  /** Durable consumer of a stats instance replaying ARB_EXECS. */
  stats: (instance = 'main'): string => `stats-${token('instance', instance)}`,
} as const;

export const buckets = {
  config: 'arb_config',
} as const;

/** Keys inside the `arb_config` bucket. */
export const configKeys = {
  runtime: 'runtime',
} as const;
