#!/usr/bin/env node
// Writes deploy/prometheus/prometheus.yml (docker compose) and prometheus.local.yml (`npm start`) from the one scrape
// list in scrape-config.mjs. `--check`: exit 1 when a committed file differs from what would be written.
// `--variant local --ports '{"detector":[9120],...}' --scrape-interval 1s --out f.yml`: one file with the ports a
// test actually used (every stack entry must be named). `--list`: the scrape jobs as JSON.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderPrometheusConfig, scrapeJobs } from './scrape-config.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const FILES = { compose: join(here, 'prometheus.yml'), local: join(here, 'prometheus.local.yml') };

function main() {
  const { values } = parseArgs({
    options: {
      check: { type: 'boolean' },
      list: { type: 'boolean' },
      variant: { type: 'string' },
      ports: { type: 'string' },
      'scrape-interval': { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (values.list) {
    process.stdout.write(`${JSON.stringify(scrapeJobs(), null, 2)}\n`);
    return 0;
  }
  if (values.variant !== undefined) {
    const text = renderPrometheusConfig({
      variant: values.variant,
      ...(values.ports !== undefined ? { ports: JSON.parse(values.ports) } : {}),
      ...(values['scrape-interval'] !== undefined ? { scrapeInterval: values['scrape-interval'] } : {}),
    });
    if (values.out !== undefined) writeFileSync(values.out, text);
    else process.stdout.write(text);
    return 0;
  }
  let stale = 0;
  for (const [variant, file] of Object.entries(FILES)) {
    const text = renderPrometheusConfig({ variant });
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      // missing: written below, or reported as stale by --check
    }
    if (current === text) continue;
    if (values.check) {
      process.stderr.write(`${file} is out of date: run node deploy/prometheus/render.mjs\n`);
      stale++;
    } else {
      writeFileSync(file, text);
      process.stdout.write(`wrote ${file}\n`);
    }
  }
  return stale > 0 ? 1 : 0;
}

try {
  process.exitCode = main();
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 2;
}
