#!/usr/bin/env node
// `npm run conformance` (after setup, which builds conformance/ with everything else): runs the conformance suite
// (conformance/dist/main.js): an unmodified ccxt against exchange-sim, passing every argument through, e.g.
// `npm run conformance -- --short --venue coinbase`. Prints the call × venue table and writes
// conformance/results/latest.json and latest.md. See conformance/README.md.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { logger } from './lib/log.mjs';
import { run } from './lib/run.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = logger('conformance');
const entry = join(root, 'conformance', 'dist', 'main.js');
if (!existsSync(entry)) {
  log.error(`${entry} is missing: run \`node scripts/setup.mjs\` (or \`npx tsc -b\`) first`);
  process.exit(1);
}
process.exit(await run(process.execPath, [entry, ...process.argv.slice(2)], { cwd: root }));
