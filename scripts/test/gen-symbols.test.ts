import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const gen = (...args: string[]): string => execFileSync(process.execPath, [join(ROOT, 'scripts/gen-symbols.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });

interface Overlay {
  symbols: string[];
  sim: { symbols: { symbol: string; startPrice: string }[]; venues: Record<string, { instruments: Record<string, { tickSize: string }> }> };
  markets: { venues: Record<string, { symbols: Record<string, { tick: string }> }> };
}

describe('scripts/gen-symbols.mjs', () => {
  it('is deterministic: the committed config/symbols-100.yaml is what --count 100 --seed 7 writes', () => {
    expect(gen('--count', '100', '--seed', '7')).toBe(readFileSync(join(ROOT, 'config/symbols-100.yaml'), 'utf8'));
  });

  it('another seed gives other prices; every generated symbol has the same tick in the sim and the detector on each venue', () => {
    const a = parse(gen('--count', '130', '--seed', '7')) as Overlay;
    const b = parse(gen('--count', '130', '--seed', '8')) as Overlay;
    expect(a.symbols).toHaveLength(130);
    expect(new Set(a.symbols).size).toBe(130);
    expect(a.symbols.slice(0, 2)).toEqual(['BTC-USDT', 'ETH-USDT']);
    expect(a.symbols.at(-1)).toMatch(/^SYM\d{3}-USDT$/);
    expect(b.symbols).toEqual(a.symbols);
    expect(b.sim.symbols.map((s) => s.startPrice)).not.toEqual(a.sim.symbols.map((s) => s.startPrice));
    const prices = a.sim.symbols.map((s) => Number(s.startPrice));
    expect(Math.max(...prices) / Math.min(...prices)).toBeGreaterThan(1e6);
    for (const venue of ['binance', 'coinbase']) {
      for (const s of a.symbols.slice(2)) {
        expect({ venue, s, tick: a.markets.venues[venue]?.symbols[s]?.tick }).toEqual({ venue, s, tick: a.sim.venues[venue]?.instruments[s]?.tickSize });
      }
    }
  });

  it('refuses a count below 2', () => {
    expect(() => execFileSync(process.execPath, [join(ROOT, 'scripts/gen-symbols.mjs'), '--count', '1'], { cwd: ROOT, stdio: 'pipe' })).toThrow(/count must be an integer >= 2/);
  });
});
