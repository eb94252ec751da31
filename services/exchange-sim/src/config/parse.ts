import { validateConfig } from '@arb/service-kit';
import { SimConfig } from './schema';
import { SimConfigError } from './errors';

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
  return value;
}
