import { validateConfig } from '@arb/service-kit';
import { SimConfig } from './schema';
import { SimConfigError } from './errors';
import type { ReactionConfig, RivalSymbolConfig } from './world-schema';

/**
 * Fills schema defaults into a (partial) `sim` section and validates it (service-kit's
 * validateConfig; decimal fields must be strings here). Used by tests and embedders.
 */
export function parseSimConfig(input: unknown): SimConfig {
  let value: SimConfig;
  try {
    value = validateConfig(SimConfig, structuredClone(input));
  } catch (cause) {
    throw new SimConfigError(`invalid sim config: ${(cause as Error).message}`, { cause });
  }
  checkSimConfig(value);
  return value;
}

/** The checks a schema cannot express (ranges between keys, names that must exist); throws SimConfigError. */
export function checkSimConfig(value: SimConfig): void {
  const { jumps } = value;
  if (jumps.maxBps < jumps.minBps) throw new SimConfigError('invalid sim config: jumps.maxBps < jumps.minBps');
  if (jumps.maxDelayMs < jumps.minDelayMs) throw new SimConfigError('invalid sim config: jumps.maxDelayMs < jumps.minDelayMs');
  for (const a of value.accounts.binance) {
    if ((a.secretKey === undefined) === (a.publicKey === undefined)) {
      throw new SimConfigError(`invalid sim config: binance account ${a.apiKey.slice(0, 6)}… needs exactly one of secretKey (HMAC) and publicKey (Ed25519 / RSA)`);
    }
  }
  const seen = new Set<string>();
  for (const s of value.symbols) {
    if (seen.has(s.symbol)) throw new SimConfigError(`invalid sim config: duplicate symbol ${s.symbol}`);
    seen.add(s.symbol);
  }
  checkRivals(value, seen);
}

function checkRivals(value: SimConfig, symbols: Set<string>): void {
  const { rivals } = value;
  const venues = Object.keys(value.venues);
  for (const v of Object.keys(rivals.takerFee)) {
    if (!venues.includes(v)) throw new SimConfigError(`invalid sim config: rivals.takerFee.${v}: unknown venue`);
  }
  checkReaction('rivals.reaction', rivals.reaction);
  for (const [sym, o] of Object.entries(rivals.symbols)) {
    if (!symbols.has(sym)) throw new SimConfigError(`invalid sim config: rivals.symbols.${sym}: not in sim.symbols`);
    checkReaction(`rivals.symbols.${sym}.reaction`, effectiveReaction(rivals.reaction, o));
  }
}

/** The reaction settings of a symbol: its overrides on top of the global ones. */
export function effectiveReaction(global: ReactionConfig, o: RivalSymbolConfig | undefined): ReactionConfig {
  return { ...global, ...(o?.reaction ?? {}) };
}

function checkReaction(path: string, r: ReactionConfig): void {
  if (r.maxMs < r.minMs) throw new SimConfigError(`invalid sim config: ${path}.maxMs < minMs`);
  if (r.distribution === 'lognormal' && r.p90Ms < r.medianMs) throw new SimConfigError(`invalid sim config: ${path}.p90Ms < medianMs`);
  if (r.distribution === 'lognormal' && r.medianMs <= 0) throw new SimConfigError(`invalid sim config: ${path}.medianMs must be > 0 for lognormal`);
}
