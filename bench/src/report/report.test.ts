import { CliUsageError, DEFAULT_SOAK_SECONDS, parseCli } from '../cli';
import { createContext } from '../context';
import type { BenchContext, BenchModule } from '../types';
import { row, latencyRows, skippedRow } from '../lib/rows';
import { BENCHMARKS, selectBenchmarks } from '../registry';
import { renderMarkdown } from './markdown';
import type { RunMeta } from './run-meta';
import { renderTable } from './table';

const meta: RunMeta = {
  startedAt: '2026-01-01T00:00:00.000Z',
  seconds: 12,
  quick: true,
  only: ['floors'],
  commit: 'abc1234',
  host: { cpus: 2, cpuModel: 'Test CPU', memoryGb: 8, freeMemoryGb: 4, loadAverage: [0.5, 0.4, 0.3], node: 'v20', platform: 'linux-x64' },
};

describe('rows', () => {
  it('computes ratio against the baseline and whether the target is met', () => {
    const r = row({ group: 'ingest', name: 'x', value: 60_000, unit: 'updates/s', baseline: 120_000, target: { op: '>=', value: 50_000 } });
    expect(r.ratio).toBe(0.5);
    expect(r.meetsTarget).toBe(true);
    expect(r.status).toBe('ok');
    const miss = row({ group: 'ingest', name: 'y', value: 1.5, unit: 'ms', target: { op: '<=', value: 1 } });
    expect(miss.meetsTarget).toBe(false);
    expect(row({ group: 'g', name: 'n', value: null, unit: '' }).status).toBe('failed');
  });

  it('makes one row per percentile', () => {
    const s = { count: 10, p50: 1, p90: 2, p99: 3, p999: 4, max: 5, mean: 1.5, negative: 0 };
    const rows = latencyRows('floors', 'hop', s, { baseline: { ...s, p99: 1.5 }, baselineName: 'floor' });
    expect(rows.map((r) => [r.name, r.value, r.ratio])).toEqual([
      ['hop p50', 1, 1],
      ['hop p99', 3, 2],
      ['hop p999', 4, 1],
    ]);
  });
});

describe('report rendering', () => {
  const rows = [
    row({ group: 'floors', name: 'NATS hop p99', value: 0.1234, unit: 'ms', note: 'n=100' }),
    row({ group: 'ingest', name: 'throughput', value: 123_456.7, unit: 'updates/s', baseline: 200_000, target: { op: '>=', value: 50_000 }, note: 'a | b' }),
    skippedRow('ingest', 'ingest.latency', 'not built yet'),
  ];

  it('prints an aligned table with verdicts', () => {
    const lines = renderTable(rows).split('\n');
    expect(lines[0]).toMatch(/^group\s+benchmark\s+value/);
    expect(lines[3]).toContain('123,457');
    expect(lines[3]).toContain('0.62x');
    expect(lines[3]).toContain('>= 50,000');
    expect(lines[3]).toMatch(/\bok\b/);
    expect(lines[4]).toContain('skip');
  });

  it('writes Markdown with the run facts and one escaped table line per row', () => {
    const md = renderMarkdown(meta, rows);
    expect(md).toContain('commit abc1234');
    expect(md).toContain('2 x Test CPU');
    expect(md).toContain('| ingest | throughput | 123,457 | updates/s | 200,000 | 0.62x | >= 50,000 | ok | a \\| b |');
    expect(md.split('\n').filter((l) => l.startsWith('| ')).length).toBe(1 + rows.length);
  });

  it('adds how busy the host was per module', () => {
    const md = renderMarkdown(meta, rows, [
      { module: 'floors.nats', status: 'ok', seconds: 12.3, host: { busyPct: 93.4, load1: 3.14, cpus: 2 }, rows: [] },
    ]);
    expect(md).toContain('- floors.nats: ok, 12.3 s, host CPU 93% busy, load 3.1 on 2 CPUs');
  });
});

describe('cli and registry', () => {
  it('parses flags, splits --only lists and refuses unknown flags', () => {
    expect(parseCli(['--quick', '--only', 'floors,ingest.latency', '--only', 'x'])).toEqual({
      quick: true,
      heavy: false,
      soakSeconds: undefined,
      only: ['floors', 'ingest.latency', 'x'],
      out: undefined,
      list: false,
      help: false,
    });
    expect(() => parseCli(['--fast'])).toThrow(/Unknown option/);
  });

  it('parses --heavy, --soak (default length) and --soak-seconds (implies --soak)', () => {
    expect(parseCli(['--heavy'])).toMatchObject({ heavy: true, soakSeconds: undefined });
    expect(parseCli(['--soak'])).toMatchObject({ heavy: false, soakSeconds: DEFAULT_SOAK_SECONDS });
    expect(parseCli(['--soak-seconds', '42'])).toMatchObject({ soakSeconds: 42 });
    expect(() => parseCli(['--soak-seconds', 'soon'])).toThrow(CliUsageError);
    expect(() => parseCli(['--soak-seconds', '0'])).toThrow(/>= 1/);
  });

  it('runs heavy modules only with their flag or when named in --only', () => {
    const ctx = (o: { heavy?: boolean; soakSeconds?: number; only?: string[] }): BenchContext =>
      createContext({ quick: true, root: '/nonexistent', outDir: '/tmp', log: { info: () => undefined, warn: () => undefined }, ...o });
    const ramp = BENCHMARKS.find((m) => m.name === 'e2e.throughput') as BenchModule;
    const soak = BENCHMARKS.find((m) => m.name === 'e2e.soak') as BenchModule;
    expect(ramp.unavailable?.(ctx({}))).toMatch(/--heavy/);
    expect(soak.unavailable?.(ctx({ heavy: true }))).toMatch(/--soak/);
    // With the flag (or named), what is left to say is about the builds (none exist under /nonexistent).
    expect(ramp.unavailable?.(ctx({ heavy: true }))).toMatch(/not built yet/);
    expect(ramp.unavailable?.(ctx({ only: ['e2e.throughput'] }))).toMatch(/not built yet/);
    expect(soak.unavailable?.(ctx({ soakSeconds: 5 }))).toMatch(/not built yet/);
  });

  it('selects modules by full name or group and names unknown terms', () => {
    expect(selectBenchmarks(BENCHMARKS, ['floors']).selected.map((m) => m.name)).toEqual(['floors.nats', 'floors.redis']);
    expect(selectBenchmarks(BENCHMARKS, ['ingest.latency', 'nope'])).toEqual({
      selected: [BENCHMARKS.find((m) => m.name === 'ingest.latency')],
      unknown: ['nope'],
    });
    expect(new Set(BENCHMARKS.map((m) => m.name)).size).toBe(BENCHMARKS.length);
  });
});
