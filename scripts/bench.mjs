#!/usr/bin/env node
// `npm run bench` (after setup, which builds bench/ with everything else): runs the benchmark suite
// (bench/dist/main.js), passing every argument through, e.g. `npm run bench -- --quick --only floors`.
// Prints a table and writes bench/results/latest.json and latest.md. See bench/README.md.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { logger } from './lib/log.mjs';
import { run } from './lib/run.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = logger('bench');
const entry = join(root, 'bench', 'dist', 'main.js');
if (!existsSync(entry)) {
  log.error(`${entry} is missing: run \`node scripts/setup.mjs\` (or \`npx tsc -b\`) first`);
  process.exit(1);
}
// --expose-gc: the suite settles the heap before each latency floor.
process.exit(await run(process.execPath, ['--expose-gc', entry, ...process.argv.slice(2)], { cwd: root }));
