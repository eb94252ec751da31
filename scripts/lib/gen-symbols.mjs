/**
 * Deterministic (seeded) instrument universe for scale runs: `count` USDT pairs with start prices spread over orders of
 * magnitude and consistent rules on every venue, as a config overlay (ARB_CONFIG_FILE, applied after the mode file).
 * The first two are the default symbols with their default rules (BTC-USDT, ETH-USDT), so a run at N symbols is the
 * default world plus N - 2 more.
 */

/** Bases of the most traded USDT pairs; beyond them SYMnnn. */
const BASES = [
  'SOL', 'XRP', 'BNB', 'DOGE', 'ADA', 'TRX', 'AVAX', 'LINK', 'DOT', 'TON', 'SHIB', 'LTC', 'BCH', 'UNI', 'NEAR', 'ATOM',
  'XLM', 'ETC', 'FIL', 'APT', 'ARB', 'OP', 'HBAR', 'ICP', 'VET', 'INJ', 'SUI', 'SEI', 'TIA', 'RNDR', 'GRT', 'AAVE',
  'MKR', 'ALGO', 'EGLD', 'SAND', 'MANA', 'AXS', 'THETA', 'FTM', 'XTZ', 'EOS', 'FLOW', 'CHZ', 'KAVA', 'CRV', 'SNX',
  'LDO', 'RUNE', 'IMX', 'STX', 'PEPE', 'WIF', 'BONK', 'FLOKI', 'JUP', 'PYTH', 'ENA', 'WLD', 'ORDI', 'BLUR', 'DYDX',
  'GALA', 'APE', 'COMP', 'ZEC', 'DASH', 'NEO', 'IOTA', 'KSM', 'ZIL', 'ENJ', 'BAT', '1INCH', 'SUSHI', 'YFI', 'CAKE',
  'QNT', 'MINA', 'ROSE', 'CELO', 'ANKR', 'ZRX', 'LRC', 'STORJ', 'SKL', 'AUDIO', 'OCEAN', 'FET', 'AGIX', 'JASMY',
  'HOT', 'ONE', 'IOTX', 'RVN', 'WAVES', 'GMT', 'MASK', 'SXP', 'CVX', 'GMX', 'PENDLE', 'ARKM', 'STRK', 'NOT',
];

const DEFAULTS = [
  { base: 'BTC', startPrice: '65000', volatilityBps: 1.5 },
  { base: 'ETH', startPrice: '3500', volatilityBps: 2 },
];

/** mulberry32: a tiny seeded PRNG, identical on every platform. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 10^e as an exact decimal string (e in -12..12). */
function pow10(e) {
  return e >= 0 ? `1${'0'.repeat(e)}` : `0.${'0'.repeat(-e - 1)}1`;
}

/** `digits` x 10^e as an exact decimal string (digits a positive integer). */
function scaled(digits, e) {
  const s = String(digits);
  if (e >= 0) return s + '0'.repeat(e);
  const padded = s.padStart(-e + 1, '0');
  const out = `${padded.slice(0, padded.length + e)}.${padded.slice(padded.length + e)}`;
  return out.replace(/\.?0+$/, '') || '0';
}

/** Start price of a generated symbol: log-uniform over 0.001 .. 50000 (8 orders of magnitude), 5 significant digits. */
function startPriceOf(r) {
  const log = -3 + r() * (Math.log10(50000) + 3);
  const mag = Math.floor(log);
  const mantissa = Math.round(10 ** (log - mag + 4));
  return { price: scaled(mantissa, mag - 4), mag };
}

/**
 * Rules from the price's magnitude: a tick of 4 significant digits (1-10 bps, like many altcoin pairs; at most 8
 * decimals: Binance prints 8), a lot step worth ~0.1-1 quote, a typical level of ~20k quote, max order ~10M quote.
 * Coarse ticks also keep the sim's re-quoting (a book moving with its mid) small next to the configured churn rate.
 */
function rulesOf(mag) {
  const tickExp = Math.max(mag - 3, -8);
  const stepExp = -Math.max(Math.min(mag + 1, 8), 0);
  const levelExp = Math.max(4 - mag, stepExp);
  const maxExp = Math.max(7 - mag, 0);
  return { tick: pow10(tickExp), step: pow10(stepExp), level: scaled(2, levelExp), maxQty: pow10(maxExp), mag };
}

/** The generated universe: [{ symbol, base, startPrice, volatilityBps, rules }] (rules absent for the defaults). */
export function generateUniverse({ count, seed }) {
  if (!Number.isInteger(count) || count < 2) throw new RangeError(`count must be an integer >= 2 (got ${count})`);
  const r = rng(seed);
  const out = DEFAULTS.map((d) => ({ symbol: `${d.base}-USDT`, ...d, rules: undefined, mag: Math.floor(Math.log10(Number(d.startPrice))) }));
  for (let i = 0; out.length < count; i++) {
    const base = i < BASES.length ? BASES[i] : `SYM${String(i - BASES.length + 1).padStart(3, '0')}`;
    const { price, mag } = startPriceOf(r);
    const volatilityBps = Math.round((1 + r() * 4) * 10) / 10;
    out.push({ symbol: `${base}-USDT`, base, startPrice: price, volatilityBps, rules: rulesOf(mag), mag });
  }
  return out;
}

/** Balance of `base` worth about `quoteValue` USDT at its start price, whole lots. */
function balanceOf(u, quoteValue) {
  const units = Math.max(1, Math.round(quoteValue / Number(u.startPrice)));
  return String(units);
}

/**
 * The overlay as a plain object: symbols, sim.symbols, sim.venues.<v>.instruments, markets.venues.<v>.symbols,
 * inventory.balances, executor.paper.balances and sim.accounts (the default accounts, credentials unchanged, with a
 * balance of every base).
 */
export function buildOverlay({ count, seed, accounts }) {
  const universe = generateUniverse({ count, seed });
  const generated = universe.filter((u) => u.rules !== undefined);
  const instruments = (minNotional, coinbase) =>
    Object.fromEntries(
      generated.map((u) => [
        u.symbol,
        {
          tickSize: u.rules.tick,
          stepSize: coinbase ? '0.00000001' : u.rules.step,
          levelSize: u.rules.level,
          minQty: coinbase ? '0.00000001' : u.rules.step,
          maxQty: u.rules.maxQty,
          minNotional,
          maxNotional: '50000000',
        },
      ]),
    );
  const markets = (minNotional, coinbase) =>
    Object.fromEntries(
      generated.map((u) => [
        u.symbol,
        {
          tick: u.rules.tick,
          lotStep: coinbase ? '0.00000001' : u.rules.step,
          minSize: coinbase ? '0.00000001' : u.rules.step,
          maxSize: u.rules.maxQty,
          minNotional,
        },
      ]),
    );
  const detectorBalances = { USDT: '100000', ...Object.fromEntries(universe.map((u) => [u.base, u.rules === undefined ? (u.base === 'BTC' ? '1' : '10') : balanceOf(u, 65000)])) };
  const simBalances = { USDT: '1000000', ...Object.fromEntries(universe.map((u) => [u.base, u.rules === undefined ? (u.base === 'BTC' ? '10' : '100') : balanceOf(u, 650000)])) };
  const withBalances = (list) => list.map((a) => ({ ...a, balances: { ...simBalances, ...a.balances } }));
  return {
    symbols: universe.map((u) => u.symbol),
    sim: {
      // Re-quoting alone (200 books following their mids, plus jumps) is ~7k level updates/s at 100 symbols: the
      // configured total must be above it to be the actual total (churn fills the rest, spread over all books).
      rate: { levelUpdatesPerSec: Math.max(2000, count * 100) },
      symbols: universe.map((u) => ({ symbol: u.symbol, startPrice: u.startPrice, volatilityBps: u.volatilityBps })),
      venues: {
        binance: { instruments: instruments('5', false) },
        coinbase: { instruments: instruments('1', true) },
      },
      accounts: { binance: withBalances(accounts.binance), coinbase: withBalances(accounts.coinbase) },
    },
    markets: { venues: { binance: { symbols: markets('5', false) }, coinbase: { symbols: markets('1', true) } } },
    inventory: { balances: { binance: detectorBalances, coinbase: detectorBalances } },
    executor: { paper: { balances: { binance: detectorBalances, coinbase: detectorBalances } } },
  };
}
