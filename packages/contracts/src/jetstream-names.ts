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
  /** Heartbeats of the members of replica groups (e.g. detectors sharing the symbols); key `<group>.<member>`. */
  members: 'arb_members',
} as const;

/** Keys inside the `arb_config` bucket. */
export const configKeys = {
  runtime: 'runtime',
} as const;

/** Keys inside the `arb_members` bucket: one per live member of a group, re-put on every heartbeat. */
export const memberKeys = {
  member: (group: string, member: string): string => `${token('group', group)}.${token('member', member)}`,
  /** Watch filter for every member of `group`. */
  group: (group: string): string => `${token('group', group)}.>`,
} as const;
