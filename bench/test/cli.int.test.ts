import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The real entry point (`npm run bench` minus setup): scripts/bench.mjs → bench/dist/main.js, built by setup / tsc -b.
const root = join(__dirname, '..', '..');
const script = join(root, 'scripts', 'bench.mjs');

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

interface JsonRow {
  group: string;
  name: string;
  value: number | null;
  unit: string;
  status: string;
  ratio?: number;
}

describe('npm run bench (quick, floors only)', () => {
  const out = mkdtempSync(join(tmpdir(), 'arb-bench-test-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('runs the floors, prints the table and writes latest.json and latest.md with the same rows', async () => {
    const { code, output } = await runBench(['--quick', '--only', 'floors', '--out', out]);
    if (code !== 0) throw new Error(`bench exited ${code}:\n${output}`);
    const json = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as { meta: { quick: boolean }; rows: JsonRow[] };
    expect(json.meta.quick).toBe(true);
    const names = json.rows.map((r) => r.name);
    for (const expected of [
      'NATS hop same-process @5k/s p50',
      'NATS hop same-process @5k/s p999',
      'NATS hop cross-process @5k/s p99',
      'NATS hop cross-process @20k/s p99',
      'Redis SET round trip p50',
      'Redis GET round trip p99',
    ]) {
      expect(names).toContain(expected);
    }
    for (const r of json.rows) {
      expect(r.group).toBe('floors');
      expect(r.status).toBe('ok');
      expect(r.value).toBeGreaterThan(0);
    }
    // Cross-process rows are reported against the same-process floor of the same run.
    expect(json.rows.find((r) => r.name === 'NATS hop cross-process @5k/s p99')?.ratio).toBeGreaterThan(0);
    const md = readFileSync(join(out, 'latest.md'), 'utf8');
    for (const name of names) expect(md).toContain(`| ${name} |`);
    expect(output).toMatch(/group\s+benchmark\s+value/);
    expect(output).toContain('NATS hop cross-process @20k/s p99');
  });

  it('refuses an unknown benchmark name and writes nothing', async () => {
    const elsewhere = join(out, 'unknown');
    const { code, output } = await runBench(['--only', 'nosuch', '--out', elsewhere]);
    expect(code).toBe(2);
    expect(output).toContain('unknown benchmark(s): nosuch');
    expect(existsSync(elsewhere)).toBe(false);
  });
});
