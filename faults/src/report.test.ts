import { markdown, table } from './report';
import type { Check, FaultResult, SuiteReport } from './types';

const ok = (name: string): Check => ({ name, ok: true, detail: `${name} fine` });
const invariants = {
  journal: ok('journal = venue fills'),
  stale: ok('no decision on a stale book'),
  semaphore: ok('semaphore never over-committed'),
  ledger: ok('inventory ledger = venue balances'),
  balances: ok('venue balances = journal (exposure included)'),
};
const fault = (name: string, o: Partial<FaultResult> = {}): FaultResult => ({
  name,
  fault: `${name} | injected`,
  durationMs: 1234,
  behaviour: ['did a thing'],
  recoveryMs: 512.4,
  recoveryOf: 'fault → live',
  lost: 'nothing',
  checks: [ok('fault injected')],
  invariants,
  ok: true,
  ...o,
});

const report = (faults: FaultResult[]): SuiteReport => ({
  v: 1,
  form: 'short',
  startedAt: '2026-11-25T00:00:00.000Z',
  durationMs: 61_000,
  machine: '2 × test CPU',
  command: 'npm run faults -- --short',
  settings: { maxConcurrentTrades: 1 },
  faults,
  final: invariants,
  ok: faults.every((f) => f.ok),
});

describe('fault report', () => {
  it('one table row per fault with recovery, invariants and what was lost; pipes escaped', () => {
    const md = markdown(report([fault('venue-freeze')]));
    expect(md).toContain('# Fault-injection suite (short form): PASS');
    expect(md).toContain('| **venue-freeze**: venue-freeze \\| injected | did a thing | 512 ms (fault → live) | nothing | ok / ok / ok / ok / ok |');
    expect(md).toContain('- ok **fault injected**: fault injected fine');
  });

  it('marks a failed check, a scenario error and a fault that did not recover', () => {
    const bad = fault('nats-restart', { ok: false, recoveryMs: null, error: 'books not flowing', checks: [{ name: 'journal kept', ok: false, detail: '3 of 4' }] });
    const r = report([bad]);
    const md = markdown(r);
    expect(md).toContain('(short form): FAIL');
    expect(md).toContain('did not recover');
    expect(md).toContain('- FAIL **scenario error**: books not flowing');
    expect(md).toContain('- FAIL **journal kept**: 3 of 4');
    expect(table(r)).toMatch(/✗ +nats-restart +did not recover/);
    expect(table(r)).toContain('→ FAIL');
  });

  it('a broken ledger fails the run and is shown in the invariant columns', () => {
    const ledger = { name: 'inventory ledger = venue balances', ok: false, detail: 'coinbase USDT: ledger 1, venue 2 (diff -1)' };
    const r = { ...report([fault('redis-loss-mid-hedge', { ok: false, invariants: { ...invariants, ledger } })]), ok: false };
    expect(markdown(r)).toContain('| ok / ok / ok / FAIL / ok |');
    expect(markdown(r)).toContain('- FAIL **inventory ledger = venue balances**: coinbase USDT: ledger 1, venue 2 (diff -1)');
  });
});
