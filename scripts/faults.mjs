#!/usr/bin/env node
// `npm run faults` (after setup, which builds faults/ with everything else): runs the fault-injection suite
// (faults/dist/main.js), passing every argument through, e.g. `npm run faults -- --short --only nats-restart`.
// Prints a table and writes faults/results/latest.json and latest.md. See faults/README.md.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { logger } from './lib/log.mjs';
import { run } from './lib/run.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = logger('faults');
const entry = join(root, 'faults', 'dist', 'main.js');
if (!existsSync(entry)) {
  log.error(`${entry} is missing: run \`node scripts/setup.mjs\` (or \`npx tsc -b\`) first`);
  process.exit(1);
}
process.exit(await run(process.execPath, [entry, ...process.argv.slice(2)], { cwd: root }));
