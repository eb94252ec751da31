import { stableUuid } from '../trading/account';

/** Fiat currencies of GET /v2/currencies (`{id, name, min_size}`). */
export const FIAT_CURRENCIES = [
  { id: 'USD', name: 'US Dollar', min_size: '0.01' },
  { id: 'EUR', name: 'Euro', min_size: '0.01' },
  { id: 'GBP', name: 'British Pound', min_size: '0.01' },
] as const;

const FIAT: ReadonlySet<string> = new Set(FIAT_CURRENCIES.map((c) => c.id));

/** Display metadata of well-known crypto assets (anything else gets neutral defaults). */
const KNOWN: Record<string, { name: string; color: string; exponent: number; addressRegex: string }> = {
  BTC: { name: 'Bitcoin', color: '#F7931A', exponent: 8, addressRegex: '^([13][a-km-zA-HJ-NP-Z1-9]{25,34})|^(bc1[qzry9x8gf2tvdw0s3jn54khce6mua7l]([qpzry9x8gf2tvdw0s3jn54khce6mua7l]{38}|[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}))$' },
  ETH: { name: 'Ethereum', color: '#627EEA', exponent: 8, addressRegex: '^(?:0x)?[0-9a-fA-F]{40}$' },
  USDT: { name: 'Tether', color: '#22A079', exponent: 6, addressRegex: '^(?:0x)?[0-9a-fA-F]{40}$' },
  USDC: { name: 'USDC', color: '#2775CA', exponent: 6, addressRegex: '^(?:0x)?[0-9a-fA-F]{40}$' },
  SOL: { name: 'Solana', color: '#9945FF', exponent: 9, addressRegex: '^[1-9A-HJ-NP-Za-km-z]{32,44}$' },
};

export function isFiat(code: string): boolean {
  return FIAT.has(code);
}

/** One entry of GET /v2/currencies/crypto (also the `currency` object of a v2 account). */
export function cryptoCurrencyJson(code: string, sortIndex: number): Record<string, unknown> {
  const k = KNOWN[code];
  return {
    asset_id: stableUuid(`asset/${code}`),
    code,
    name: k?.name ?? code,
    color: k?.color ?? '#5B616E',
    sort_index: sortIndex,
    exponent: k?.exponent ?? 8,
    type: 'crypto',
    address_regex: k?.addressRegex ?? '',
  };
}

/** The `currency` object of a v2 account (`fiat` currencies carry less). */
export function accountCurrencyJson(code: string): Record<string, unknown> {
  if (isFiat(code)) {
    const f = FIAT_CURRENCIES.find((c) => c.id === code);
    return { code, name: f?.name ?? code, color: '#0066CF', sort_index: 0, exponent: 2, type: 'fiat', address_regex: '', asset_id: stableUuid(`asset/${code}`), slug: code.toLowerCase() };
  }
  return { ...cryptoCurrencyJson(code, 100), slug: code.toLowerCase() };
}
