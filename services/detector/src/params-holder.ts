import type { DetectorParams } from './params';
import { ParamsSet } from './params-set';

/**
 * The live parameters: a ParamsSet (default params + A/B variants) swapped whole. Each book update reads `snapshot()`
 * once, so one update never mixes two versions; a swap applies from the next update on.
 */
export class ParamsHolder {
  private params: ParamsSet;

  constructor(initial: DetectorParams | ParamsSet) {
    this.params = initial instanceof ParamsSet ? initial : new ParamsSet(initial);
  }

  /** The set in force (read once per update). */
  snapshot(): ParamsSet {
    return this.params;
  }

  /** The default share's params (for what is not tied to one route: USD conversion, /stats). */
  current(): DetectorParams {
    return this.params.base;
  }

  /** Replaces everything: `params` as the only set (no variants), or a whole ParamsSet. */
  set(params: DetectorParams | ParamsSet): void {
    this.params = params instanceof ParamsSet ? params : new ParamsSet(params);
  }
}
