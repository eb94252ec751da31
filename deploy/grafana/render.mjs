#!/usr/bin/env node
// Writes deploy/grafana/dashboards/<uid>.json from the dashboard sources in src/ (dashboards as code: edit the
// sources, then run this). `--check`: exit 1 when a committed JSON differs from what would be written, or a JSON
// file has no source.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import detection from './src/detection.mjs';
import execution from './src/execution.mjs';
import feeds from './src/feeds.mjs';
import services from './src/services.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, 'dashboards');
const dashboards = [feeds, detection, execution, services];

const check = process.argv.includes('--check');
const wanted = new Map(dashboards.map((d) => [`${d.uid}.json`, `${JSON.stringify(d, null, 2)}\n`]));
let stale = 0;
for (const [file, text] of wanted) {
  let current = '';
  try {
    current = readFileSync(join(outDir, file), 'utf8');
  } catch {
    // missing: written below, or reported by --check
  }
  if (current === text) continue;
  if (check) {
    process.stderr.write(`${join(outDir, file)} is out of date: run node deploy/grafana/render.mjs\n`);
    stale++;
  } else {
    writeFileSync(join(outDir, file), text);
    process.stdout.write(`wrote ${join(outDir, file)}\n`);
  }
}
for (const file of readdirSync(outDir)) {
  if (file.endsWith('.json') && !wanted.has(file)) {
    process.stderr.write(`${join(outDir, file)} has no source in deploy/grafana/src (remove it or add one)\n`);
    stale++;
  }
}
process.exitCode = stale > 0 ? 1 : 0;
