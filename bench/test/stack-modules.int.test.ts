import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The real entry point (scripts/bench.mjs → bench/dist/main.js) on the modules that run real services. Needs the
// build (`npx tsc -b`). Nothing here judges a timing: only that the modules ran their services end to end.
const root = join(__dirname, '..', '..');
const script = join(root, 'scripts', 'bench.mjs');

interface JsonRow {
  group: string;
  name: string;
  value: number | null;
  status: string;
  note: string;
}

function runBench(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('npm run bench (quick) on the service modules', () => {
  const out = mkdtempSync(join(tmpdir(), 'arb-bench-stack-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('runs the detector, the executor against exchange-sim, and ccxt against the replay server', async () => {
    const { output } = await runBench(['--quick', '--only', 'detector.latency,executor.latency,peer.ccxt', '--out', out]);
    const rows = (JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as { rows: JsonRow[] }).rows;
    const find = (name: string): JsonRow => {
      const r = rows.find((x) => x.name === name);
      if (r === undefined) throw new Error(`no row '${name}' in:\n${output}`);
      return r;
    };
    // Detector: every update opened an edge; at 1k/s each produced exactly one opportunity, matched to its
    // triggering book. At 5k/s a detector behind a busy host sees books hundreds of ms old and rightly scores them
    // lower (freshness): updates it does not publish must then be rejected by a counted reason, never lost.
    for (const rate of ['1k/s', '5k/s']) {
      const r = find(`book publish→opportunity at subscriber @${rate} p99`);
      expect(r.status).toBe('ok');
      expect(r.value).toBeGreaterThan(0);
      if (rate === '1k/s' || r.note.includes('(1.00 per update)')) expect(r.note).toContain('(1.00 per update)');
      else expect(r.note).toMatch(/\(0\.\d\d per update\); rejected: (low-confidence|stale) \d+/);
      expect(find(`detector added latency p99 @${rate} (median of slices)`).value).not.toBeNull();
    }
    // Executor: trades went out and were timed from its own reports; the floor was measured beside them.
    const hot = find('executor received→both orders sent p50');
    expect(hot.value).toBeGreaterThan(0);
    expect(hot.note).toMatch(/^\d+ trades \(/);
    expect(find('executor received→orders sent p99 minus Redis RTT p99 (median of slices)').value).not.toBeNull();
    // ccxt synced on the replay server and ended on the exact book, like our ingestor.
    for (const name of ['ccxt.pro binance watchOrderBook: updates per CPU-second', 'our feed-ingestor: updates per CPU-second (same frames)']) {
      const r = find(name);
      expect(r.status).toBe('ok');
      expect(r.value).toBeGreaterThan(0);
      expect(r.note).toContain('final top 20 exact');
    }
  }, 240_000);
});
