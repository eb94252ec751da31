import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The real entry point (scripts/bench.mjs → bench/dist/main.js) on the scale module: 100 symbols, 1 and 2 replicas
// of each role. Needs the build (`npx tsc -b`). Nothing here judges a timing: only that every part was measured.
const root = join(__dirname, '..', '..');
const script = join(root, 'scripts', 'bench.mjs');

interface JsonRow {
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

describe('npm run bench -- --quick --only scale', () => {
  const out = mkdtempSync(join(tmpdir(), 'arb-bench-scale-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('runs 100 symbols with 1 and 2 replicas per role and measures books, NATS, Redis and CPU at each', async () => {
    const { output } = await runBench(['--quick', '--only', 'scale', '--out', out]);
    const rows = (JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as { rows: JsonRow[] }).rows;
    const find = (name: string): JsonRow => {
      const r = rows.find((x) => x.name === name);
      if (r === undefined) throw new Error(`no row '${name}' in:\n${output}`);
      return r;
    };
    for (const x of ['x1', 'x2']) {
      const at = `${x} @10k/s`;
      expect(find(`${at}: sim level updates/s made`).value).toBeGreaterThan(0);
      expect(find(`${at}: frame→BookSnapshot p99`).value).toBeGreaterThan(0);
      expect(find(`${at}: NATS msgs/s in`).value).toBeGreaterThan(0);
      expect(find(`${at}: Redis commands/s`).value).toBeGreaterThan(0);
      const cpu = find(`${at}: CPU per service`);
      expect(cpu.value).toBeGreaterThan(0);
      // Every process of the step, by role and shard: 2 replicas = 2 feed-ingestor shards per venue, 2 detectors.
      const expected = x === 'x1' ? ['feed-ingestor binance ', 'feed-ingestor coinbase ', 'detector '] : ['feed-ingestor binance 0/2', 'feed-ingestor binance 1/2', 'feed-ingestor coinbase 1/2', 'detector 2'];
      for (const name of expected) expect(cpu.note).toContain(name);
    }
    expect(output).toMatch(/\| replicas \| asked\/s \| made\/s/);
  }, 600_000);
});
