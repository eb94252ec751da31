import { parseCli, CliUsageError } from './cli';
import { markdown, table } from './report';
import type { SuiteReport } from './types';

const report = (ok: boolean): SuiteReport => ({
  form: 'short',
  ok,
  command: 'npm run conformance -- --short',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1000,
  ccxtVersion: '4.5.84',
  overrides: { ARB__SIM__CONTROL__HISTORY_SIZE: '50000 (why)' },
  venues: ['binance', 'coinbase'],
  results: [
    { call: 'fetchBalance', venue: 'binance', ok: true, detail: 'equal', ms: 5 },
    { call: 'fetchBalance', venue: 'coinbase', ok: ok, detail: 'a | b', ms: 6 },
    { call: 'cancelOrder', venue: 'binance', ok: true, detail: 'x', ms: 1 },
  ],
});

describe('conformance report', () => {
  it('prints one row per call, one pass/FAIL column per venue, and the verdict', () => {
    expect(table(report(false)).split('\n')).toEqual([
      '| call         | binance | coinbase |',
      '| ------------ | ------- | -------- |',
      '| fetchBalance | pass    | FAIL     |',
      '| cancelOrder  | pass    | -        |',
      'conformance (short form, ccxt 4.5.84): 2/3 pass → FAIL',
    ]);
    expect(table(report(true)).split('\n').at(-1)).toBe('conformance (short form, ccxt 4.5.84): 3/3 pass → PASS');
  });

  it('the markdown report escapes table cells and names the overrides', () => {
    const md = markdown(report(false));
    expect(md).toContain('# Conformance: ccxt against exchange-sim (short form): FAIL');
    expect(md).toContain('| fetchBalance | coinbase | **FAIL** | a \\| b | 6 |');
    expect(md).toContain('`ARB__SIM__CONTROL__HISTORY_SIZE` = 50000 (why)');
  });

  it('parses the command line', () => {
    expect(parseCli([])).toEqual({ form: 'full', venues: ['binance', 'coinbase'], out: null, help: false });
    expect(parseCli(['--short', '--venue', 'coinbase', '--out', '/tmp/x'])).toEqual({ form: 'short', venues: ['coinbase'], out: '/tmp/x', help: false });
    expect(() => parseCli(['--venue', 'kraken'])).toThrow(CliUsageError);
    expect(() => parseCli(['--out'])).toThrow(CliUsageError);
    expect(() => parseCli(['--fast'])).toThrow(CliUsageError);
  });
});
