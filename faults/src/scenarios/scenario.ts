import type { FaultContext } from '../context';
import type { ScenarioOutcome } from '../types';

/** One injected fault: what it is, and a run that injects it, lets the system recover and reports what it saw. */
export interface Scenario {
  readonly name: string;
  readonly fault: string;
  /** Left out of the short form (the one inside `npm test`): too slow for it. */
  readonly fullOnly?: boolean;
  run(ctx: FaultContext): Promise<ScenarioOutcome>;
}

export const ms = (v: number): string => `${Math.round(v)} ms`;
