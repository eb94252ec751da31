// The ONE list of what Prometheus scrapes, and the renderer of both prometheus.yml variants from it:
//   compose  every service by its docker-compose service name (DNS: replicas are found one by one)
//   local    `npm start` on one host: static 127.0.0.1 targets on the ports of scripts/stack.mjs
// Jobs come from scripts/stack.mjs (one job per service directory, one target group per stack entry); ports from
// config/default.yaml (+ config/sim.yaml): `http.port` for every service, `sim.control.port` for exchange-sim, which
// serves /metrics on its control port. Adding a service to stack.mjs adds it to both files (`node render.mjs`).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { services as stackServices } from '../../scripts/stack.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Services that do not serve /metrics on `http.port`: stack name → config path of the port they use. */
const METRICS_PORT_KEY = { 'exchange-sim': 'sim.control.port' };

/** `a.b.c` of a block-style YAML file (plain scalars only; comments, flow maps and lists are not needed here). */
export function yamlScalar(text, path) {
  const keys = path.split('.');
  const stack = []; // [indent, key] of the open block maps
  for (const raw of text.split('\n')) {
    if (/^\s*(#|$)/.test(raw)) continue;
    const m = /^(\s*)([A-Za-z0-9_-]+):\s*(.*)$/.exec(raw);
    if (!m) continue;
    const indent = m[1].length;
    while (stack.length > 0 && stack[stack.length - 1][0] >= indent) stack.pop();
    const here = [...stack.map((s) => s[1]), m[2]];
    const value = m[3].replace(/\s+#.*$/, '').trim();
    if (value === '') stack.push([indent, m[2]]);
    else if (here.length === keys.length && here.every((k, i) => k === keys[i])) return value.replace(/^(['"])(.*)\1$/, '$2');
  }
  return undefined;
}

/** A port from config/default.yaml, overridden by config/<mode>.yaml. */
export function configPort(path, mode = 'sim') {
  let value;
  for (const file of ['default.yaml', `${mode}.yaml`]) {
    const full = join(root, 'config', file);
    if (!existsSync(full)) continue;
    value = yamlScalar(readFileSync(full, 'utf8'), path) ?? value;
  }
  const port = Number(value);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`config ${path} is not a port (got ${value})`);
  return port;
}

/** `services/<dir>/dist/main.js` → `<dir>`: the Prometheus job (one per service kind, e.g. both feed ingestors). */
function jobOf(entry) {
  const m = /services\/([^/]+)\//.exec(entry);
  if (!m) throw new Error(`cannot name a scrape job for entry ${entry}`);
  return m[1];
}

/**
 * Scrape jobs, in stack order: `{ job, entries: [{ name, entry, env, instances, composePort, localPorts }] }` (entry and
 * env as in stack.mjs, so a test can start exactly the stack that is scraped). `localPorts`
 * (`npm start`): the stack's httpPort + i, or the config port for services listed in METRICS_PORT_KEY.
 */
export function scrapeJobs(services = stackServices) {
  const httpPort = configPort('http.port');
  const jobs = new Map();
  for (const s of services) {
    const job = jobOf(s.entry);
    const instances = s.instances ?? 1;
    const key = METRICS_PORT_KEY[s.name];
    const fixed = key === undefined ? undefined : configPort(key);
    if (fixed === undefined && s.httpPort === undefined) throw new Error(`${s.name} has no httpPort in scripts/stack.mjs`);
    const entry = {
      name: s.name,
      entry: s.entry,
      env: s.env ?? {},
      instances,
      composePort: fixed ?? httpPort,
      localPorts: Array.from({ length: instances }, (_, i) => fixed ?? s.httpPort + i),
    };
    if (!jobs.has(job)) jobs.set(job, { job, entries: [] });
    jobs.get(job).entries.push(entry);
  }
  return [...jobs.values()];
}

const q = (s) => `'${String(s).replace(/'/g, "''")}'`;

/**
 * prometheus.yml text. `variant`: 'compose' | 'local'. `ports` (local only): stack name → ports actually used, in
 * place of the stack's (tests run the services on free ports); it must name exactly the stack's entries.
 */
export function renderPrometheusConfig({ variant, scrapeInterval = '5s', ports, jobs = scrapeJobs() }) {
  if (variant !== 'compose' && variant !== 'local') throw new Error(`variant must be compose or local (got ${variant})`);
  if (ports !== undefined) {
    if (variant !== 'local') throw new Error('ports apply to the local variant only');
    const names = jobs.flatMap((j) => j.entries.map((e) => e.name)).sort();
    const given = Object.keys(ports).sort();
    if (JSON.stringify(names) !== JSON.stringify(given)) throw new Error(`ports must name exactly ${names.join(', ')} (got ${given.join(', ')})`);
  }
  const header =
    variant === 'compose'
      ? ['# Prometheus for docker compose: every service by its compose service name (DNS, so replicas are scraped one by', '# one).']
      : ['# Prometheus for `npm start` on one host: static targets on the ports of scripts/stack.mjs (start.mjs moves a', '# service to a free port when its port is taken: its log says so, then edit the target or free the port).'];
  const lines = [
    '# GENERATED by `node deploy/prometheus/render.mjs` from scripts/stack.mjs and config/*.yaml: do not edit by hand.',
    ...header,
    'global:',
    `  scrape_interval: ${scrapeInterval}`,
    `  evaluation_interval: ${scrapeInterval}`,
    `  scrape_timeout: ${scrapeTimeout(scrapeInterval)}`,
    '  external_labels:',
    `    stack: ${q(variant === 'compose' ? 'arb-compose' : 'arb-local')}`,
    'scrape_configs:',
  ];
  for (const { job, entries } of jobs) {
    lines.push(`  - job_name: ${q(job)}`, '    metrics_path: /metrics');
    if (variant === 'compose') {
      lines.push('    dns_sd_configs:');
      for (const e of entries) lines.push(`      - names: [${q(e.name)}]`, '        type: A', `        port: ${e.composePort}`, '        refresh_interval: 15s');
      lines.push('    relabel_configs:', '      - source_labels: [__meta_dns_name]', '        target_label: stack_entry');
    } else {
      lines.push('    static_configs:');
      for (const e of entries) {
        const used = ports?.[e.name] ?? e.localPorts;
        lines.push(`      - targets: [${used.map((p) => q(`127.0.0.1:${p}`)).join(', ')}]`, '        labels:', `          stack_entry: ${q(e.name)}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Scrape timeout: the interval, at most 10 s (Prometheus rejects a timeout longer than the interval). */
function scrapeTimeout(interval) {
  const m = /^(\d+)(ms|s|m)$/.exec(interval);
  if (!m) throw new Error(`scrape interval must look like 1s, 500ms or 1m (got ${interval})`);
  const ms = Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2]];
  return ms >= 10_000 ? '10s' : interval;
}
