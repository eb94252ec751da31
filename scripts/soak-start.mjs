#!/usr/bin/env node
// `npm run soak:start -- [--runs 10] [--burners 2]`: the whole-stack test (scripts/test/start-full.int.test.ts, the
// real `npm start` with the shipped configuration) run N times in a row beside CPU-burning processes, as on a busy
// CI host. Prints one line per run and the pass count; exit 0 only when every run passed. No setting is changed.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TEST = 'scripts/test/start-full.int.test.ts';

function options() {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, burners: { type: 'string', default: '2' } } });
  const runs = Number(values.runs);
  const burners = Number(values.burners);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(burners) || burners < 0) {
    throw new Error(`--runs must be an integer ≥ 1 and --burners an integer ≥ 0 (got ${values.runs}, ${values.burners})`);
  }
  return { runs, burners };
}

/** A process spinning one core until killed. */
function burner() {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
}

function main() {
  const { runs, burners } = options();
  const procs = Array.from({ length: burners }, burner);
  const stop = () => procs.forEach((p) => p.kill('SIGKILL'));
  process.on('SIGINT', () => {
    stop();
    process.exit(130);
  });
  let passed = 0;
  try {
    process.stdout.write(`[soak] ${TEST} x${runs} beside ${burners} CPU burner(s), shipped configuration\n`);
    for (let i = 1; i <= runs; i++) {
      const t0 = Date.now();
      const r = spawnSync(process.execPath, ['node_modules/jest/bin/jest.js', TEST], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
      const ok = r.status === 0;
      if (ok) passed++;
      const why = ok ? '' : ` — ${((r.stderr ?? '').match(/●.*$/m) ?? ['exit ' + r.status])[0]}`;
      process.stdout.write(`[soak] run ${i}/${runs}: ${ok ? 'pass' : 'FAIL'} in ${((Date.now() - t0) / 1000).toFixed(1)} s${why}\n`);
      if (!ok) process.stdout.write(`${(r.stderr ?? '').split('\n').slice(-60).join('\n')}\n`);
    }
  } finally {
    stop();
  }
  process.stdout.write(`[soak] ${passed}/${runs} passed beside ${burners} CPU burner(s)\n`);
  return passed === runs ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (e) {
  process.stderr.write(`[soak] ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
}
