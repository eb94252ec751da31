#!/usr/bin/env node
// `npm run bench`: runs every benchmark script bench/*.bench.mjs (or .js) in name order, stopping at the first
// failure. Arguments after `--` are passed to each. Benchmarks arrive in later issues; until then it says so.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { logger, since } from './lib/log.mjs';
import { run } from './lib/run.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = logger('bench');
const dir = join(root, 'bench');
const files = existsSync(dir) ? readdirSync(dir).filter((f) => /\.bench\.(mjs|js)$/.test(f)).sort() : [];
if (files.length === 0) {
  log.info('no benchmarks yet (add bench/<name>.bench.mjs)');
  process.exit(0);
}
for (const file of files) {
  const t0 = Date.now();
  log.info(`${file} ...`);
  const code = await run(process.execPath, [join(dir, file), ...process.argv.slice(2)], { cwd: root });
  if (code !== 0) {
    log.error(`${file} failed (exit ${code})`);
    process.exit(code);
  }
  log.info(`${file} done (${since(t0)})`);
}
