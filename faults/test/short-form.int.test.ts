import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, ServiceProcess } from '@arb/testkit';
import { invariantList } from '../src/invariants';
import { selectScenarios } from '../src/suite';
import type { SuiteReport } from '../src/types';

const ENTRY = join(REPO_ROOT, 'faults', 'dist', 'main.js');

/**
 * The short form of the fault-injection suite, through its real entry point (`npm run faults -- --short` runs the
 * same file): the whole system as real processes, every fault injected in turn, and the report it writes.
 */
describe('fault-injection suite, short form', () => {
  const out = mkdtempSync(join(tmpdir(), 'arb-faults-'));
  let proc: ServiceProcess | undefined;

  afterAll(async () => {
    await proc?.stop();
    rmSync(out, { recursive: true, force: true });
  });

  it('every fault recovers and nothing is lost: journal = venue fills, no stale decision, semaphore held, ledger = venues, balances journaled', async () => {
    proc = await ServiceProcess.start({ name: 'faults', entry: ENTRY, args: ['--short', '--out', out], cwd: REPO_ROOT, keepLines: 500 });
    await proc.waitForLine(/^report: /, 420_000);
    // Everything was stopped before the report was written: the process exits by itself, promptly.
    for (let i = 0; i < 300 && proc.exit === undefined; i++) await new Promise((r) => setTimeout(r, 50));
    const report = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as SuiteReport;

    expect(report.form).toBe('short');
    expect(report.faults.map((f) => f.name)).toEqual(selectScenarios(undefined, 'short').map((s) => s.name));
    const failures = report.faults
      .filter((f) => !f.ok)
      .map((f) => `${f.name}: ${f.error ?? ''} ${[...f.checks, ...invariantList(f.invariants)].filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`).join(' | ')}`);
    expect(failures).toEqual([]);
    for (const f of report.faults) {
      expect(f.recoveryMs).not.toBeNull();
      expect(f.behaviour.length).toBeGreaterThan(0);
      expect(f.lost).not.toBe('');
    }
    expect(invariantList(report.final).map((c) => c.ok)).toEqual([true, true, true, true, true]);
    expect(report.ok).toBe(true);
    expect(proc.exit).toEqual({ code: 0, signal: null });

    const md = readFileSync(join(out, 'latest.md'), 'utf8');
    expect(md).toContain('# Fault-injection suite (short form): PASS');
    for (const s of selectScenarios(undefined, 'short')) expect(md).toContain(`**${s.name}**`);
    expect(existsSync(join(out, 'logs', 'executor-1.log'))).toBe(true);
  }, 480_000);
});
