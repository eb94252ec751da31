import Big from 'big.js';
import type { Opportunity } from '@arb/contracts';
import { splitSymbol } from '@arb/venues';

/** Quote asset → USD: configured pegs first, else the rate implied by the opportunity (profitUsd / profitQuote). */
export class UsdRates {
  private readonly pegs: Map<string, Big>;

  constructor(pegs: Readonly<Record<string, string>>) {
    this.pegs = new Map(Object.entries(pegs).map(([k, v]) => [k, new Big(v)]));
  }

  rate(opp: Opportunity): Big | null {
    const peg = this.pegs.get(splitSymbol(opp.symbol).quote);
    if (peg !== undefined) return peg;
    const pq = new Big(opp.profitQuote);
    return pq.eq(0) ? null : new Big(opp.profitUsd).div(pq).abs();
  }
}
