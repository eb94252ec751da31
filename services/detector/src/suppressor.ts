import { compareDecimal } from '@arb/domain';

/** What identifies a published opportunity's terms on one route. */
export interface RouteTerms {
  readonly buyLimit: string;
  readonly sellLimit: string;
  readonly size: string;
}

interface Published extends RouteTerms {
  readonly sizeF: number;
  readonly expiresTs: number;
  readonly publishedTs: number;
  readonly oppId: string;
  readonly releaseOnReport: boolean;
}

export interface SuppressionRules {
  /** Fraction of the published size a new size must differ by to count as changed. */
  readonly sizeTolerance: number;
  /** Changed terms on a route are not re-published sooner than this after the last publish (0 = at once). */
  readonly minIntervalMs: number;
  /**
   * Lift the suppression as soon as the route's last opportunity was traded with fills (its report arrived): the
   * trade took liquidity, so the next book is a new state and a window still open there is a new opportunity. Until
   * then (queued, in flight, skipped, nothing filled) the rules above hold.
   */
  readonly releaseOnReport: boolean;
}

/**
 * Keeps an unchanged opportunity from being re-published on every tick. A route's last published terms suppress a
 * new candidate until they expire, unless a limit price changed or the size moved by more than `sizeTolerance`
 * (a fraction of the published size; floats only compare here, they never size anything), and even then not sooner
 * than `minIntervalMs` after the last publish: while a window is open the books tick constantly, and re-publishing
 * every tick floods the executors' work queue with near-identical trades on a route they can only trade once at a time.
 */
export class Suppressor {
  private readonly last = new Map<string, Published>();
  /** Opportunity id → route, for the routes whose last publish may be released by its report. */
  private readonly byOpp = new Map<string, string>();
  /** Released routes → when: their next publish needs both books stored after that instant. */
  private readonly releasedAt = new Map<string, number>();

  /**
   * True when `terms` on `route` should be published now. `booksSince`: when the older of the route's two books was
   * stored (after a release, both must be newer than the report: the books must show the market after our fills).
   */
  shouldPublish(route: string, terms: RouteTerms, now: number, rules: SuppressionRules, booksSince = Infinity): boolean {
    const released = this.releasedAt.get(route);
    if (released !== undefined) return booksSince > released;
    const prev = this.last.get(route);
    if (prev === undefined || now >= prev.expiresTs) return true;
    if (now - prev.publishedTs < rules.minIntervalMs) return false;
    if (compareDecimal(prev.buyLimit, terms.buyLimit) !== 0 || compareDecimal(prev.sellLimit, terms.sellLimit) !== 0) return true;
    const size = Number(terms.size);
    return Math.abs(size - prev.sizeF) > rules.sizeTolerance * prev.sizeF;
  }

  /** Remembers what was published on `route` until `expiresTs`. */
  record(route: string, terms: RouteTerms, publishedTs: number, expiresTs: number, oppId: string, rules: SuppressionRules): void {
    const prev = this.last.get(route);
    if (prev !== undefined) this.byOpp.delete(prev.oppId);
    this.releasedAt.delete(route);
    const { buyLimit, sellLimit, size } = terms;
    this.last.set(route, { buyLimit, sellLimit, size, sizeF: Number(size), expiresTs, publishedTs, oppId, releaseOnReport: rules.releaseOnReport });
    if (rules.releaseOnReport) this.byOpp.set(oppId, route);
  }

  /**
   * The report of opportunity `oppId` showed fills: when it is still its route's last publish (and was published
   * under `releaseOnReport`), the route is free to publish again on its next book. True when something was lifted.
   */
  release(oppId: string, now: number): boolean {
    const route = this.byOpp.get(oppId);
    if (route === undefined) return false;
    this.byOpp.delete(oppId);
    const prev = this.last.get(route);
    if (prev === undefined || prev.oppId !== oppId) return false;
    this.last.delete(route);
    this.releasedAt.set(route, now);
    return true;
  }

  /** Drops expired entries (routes are few; call now and then to keep the map tidy). */
  sweep(now: number): void {
    for (const [route, p] of this.last) {
      if (now < p.expiresTs) continue;
      this.last.delete(route);
      this.byOpp.delete(p.oppId);
    }
    // A released route whose books never both moved again: after a minute it is an ordinary new route.
    for (const [route, ts] of this.releasedAt) if (now - ts > 60_000) this.releasedAt.delete(route);
  }

  get size(): number {
    return this.last.size;
  }
}
