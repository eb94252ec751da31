#!/usr/bin/env node
// `npm start`: the whole stack on one machine. NATS (JetStream, data in .data/nats) and Redis (data in .data/redis)
// on the configured ports (a taken port is replaced by a free one and passed to the services through
// ARB__NATS__URL / ARB__REDIS__URL), then every built service of scripts/stack.mjs, output prefixed by name.
// Ctrl-C / SIGTERM (or --duration) stops services, then Redis and NATS, prints `stopped` and exits 0.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { configValue, yamlValue } from './lib/config.mjs';
import { Child } from './lib/child.mjs';
import { choosePort, infraRuntime, startInfra } from './lib/infra.mjs';
import { logger } from './lib/log.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = logger('start');
const SERVICE_STOP_MS = 10_000;
const INFRA_STOP_MS = 10_000;

const USAGE = `usage: node scripts/start.mjs [--mode sim|paper|live] [--duration <seconds>] [--data-dir <dir>] [--stack <file.mjs>]
  --mode      sets ARB_MODE for every service (default: ARB_MODE, else config mode, else sim)
  --duration  stop by itself after this many seconds
  --data-dir  where NATS and Redis keep their data (default .data)
  --stack     an alternative service list (same shape as scripts/stack.mjs)`;

function parseCli() {
  try {
    const { values } = parseArgs({
      options: {
        mode: { type: 'string' },
        duration: { type: 'string' },
        'data-dir': { type: 'string' },
        stack: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    const duration = values.duration === undefined ? undefined : Number(values.duration);
    if (duration !== undefined && !(duration > 0)) throw new Error(`--duration must be a positive number of seconds (got ${values.duration})`);
    if (values.mode !== undefined && !['sim', 'paper', 'live'].includes(values.mode)) throw new Error(`--mode must be sim, paper or live (got ${values.mode})`);
    return { ...values, duration };
  } catch (error) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
}

const cli = parseCli();
const configDir = process.env.ARB_CONFIG_DIR ? resolve(process.env.ARB_CONFIG_DIR) : join(root, 'config');
const mode = cli.mode ?? process.env.ARB_MODE ?? yamlValue(join(configDir, 'default.yaml'), 'mode') ?? 'sim';
const dataDir = resolve(root, cli['data-dir'] ?? '.data');
const cfg = { configDir, mode };

const children = []; // every Child, in start order: [nats, redis, ...services]
let infra = [];
let stopping;

process.on('exit', () => {
  for (const child of children) child.signal('SIGKILL');
});

/** Stops services (in parallel), then Redis and NATS; prints `stopped`; exits. A second signal kills at once. */
function shutdown(reason, code = 0) {
  if (stopping) {
    log.info(`${reason} again: killing everything now`);
    for (const child of children) child.signal('SIGKILL');
    return stopping;
  }
  log.info(`${reason}: stopping`);
  stopping = (async () => {
    const services = children.filter((c) => !infra.some((i) => i.child === c));
    await Promise.all(services.map((c) => c.stop(SERVICE_STOP_MS)));
    await Promise.all(infra.map((i) => i.stop(INFRA_STOP_MS)));
    await Promise.all(children.map((c) => c.exited));
    process.stdout.write('stopped\n');
    process.exit(code);
  })();
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void shutdown(signal));

function watch(child, critical) {
  child.exited.then((how) => {
    if (stopping) return;
    if (critical) {
      log.error(`${child.name} died unexpectedly (${how}); stopping the stack`);
      void shutdown(`${child.name} died`, 1);
    } else {
      log.error(`SERVICE DIED: ${child.name} (pid ${child.pid}) exited unexpectedly (${how})`);
    }
  });
}

function withPort(url, port) {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString().replace(/\/$/, '');
}

async function startServer(kind, runtime, url) {
  const wanted = Number(new URL(url).port || (kind === 'nats' ? 4222 : 6379));
  const { port, moved } = await choosePort(wanted);
  if (moved) log.info(`port ${wanted} is taken: ${kind === 'nats' ? 'NATS' : 'Redis'} uses ${port} instead`);
  const password = kind === 'redis' && new URL(url).password ? decodeURIComponent(new URL(url).password) : undefined;
  const started = await startInfra(kind, runtime, { port, dataDir: join(dataDir, kind), password });
  children.push(started.child);
  infra.push(started);
  watch(started.child, true);
  const finalUrl = withPort(url, port);
  const shown = finalUrl.replace(/\/\/:[^@]*@/, '//:***@');
  process.stdout.write(kind === 'nats' ? `NATS ready at ${shown} (JetStream)\n` : `Redis ready at ${shown}\n`);
  log.info(`${started.child.name} pid ${started.child.pid}, ${runtime}, data in ${join(dataDir, kind)}`);
  return finalUrl;
}

async function loadStack() {
  const file = cli.stack ? resolve(cli.stack) : join(root, 'scripts', 'stack.mjs');
  const { services } = await import(pathToFileURL(file).href);
  if (!Array.isArray(services)) throw new Error(`${file} must export an array named services`);
  return services;
}

async function startServices(urls) {
  const started = [];
  for (const spec of await loadStack()) {
    if (stopping) return started;
    if (spec.modes && !spec.modes.includes(mode)) continue;
    const entry = isAbsolute(spec.entry) ? spec.entry : join(root, spec.entry);
    if (!existsSync(entry)) {
      log.info(`skip ${spec.name}: ${spec.entry} not built`);
      continue;
    }
    const instances = spec.instances ?? 1;
    const group = [];
    for (let i = 0; i < instances; i++) {
      const name = instances > 1 ? `${spec.name}-${i + 1}` : spec.name;
      const env = { ...process.env, ARB_MODE: mode, ARB__NATS__URL: urls.nats, ARB__REDIS__URL: urls.redis, ARB_INSTANCE_ID: name, ...(spec.env ?? {}) };
      if (spec.httpPort !== undefined) {
        const { port, moved } = await choosePort(spec.httpPort + i);
        if (moved) log.info(`${name}: port ${spec.httpPort + i} is taken, using ${port}`);
        env.ARB__HTTP__PORT = String(port);
      }
      const child = new Child(name, process.execPath, [entry], { env, cwd: root });
      children.push(child);
      watch(child, false);
      group.push(child);
      started.push(name);
    }
    if (spec.readyLine) {
      await Promise.all(group.map((c) => c.waitForLine(spec.readyLine, 60_000).catch((e) => log.error(e.message))));
    }
  }
  return started;
}

async function main() {
  const runtime = infraRuntime();
  if (!runtime) {
    log.error('nats-server/redis-server not found and no Docker engine answers: run `node scripts/setup.mjs` (npm start does) or install them');
    process.exit(1);
  }
  log.info(`mode ${mode}, config ${configDir}`);
  try {
    const natsUrl = await startServer('nats', runtime, configValue(cfg, 'nats', 'url', 'nats://127.0.0.1:4222'));
    if (stopping) return;
    const redisUrl = await startServer('redis', runtime, configValue(cfg, 'redis', 'url', 'redis://127.0.0.1:6379'));
    if (stopping) return;
    const started = await startServices({ nats: natsUrl, redis: redisUrl });
    if (stopping) return;
    log.info(`stack up: ${started.length} service process(es)${started.length ? ` (${started.join(', ')})` : ''}; Ctrl-C stops it`);
  } catch (error) {
    if (stopping) return;
    log.error(`start-up failed: ${error.message}`);
    await shutdown('start-up failed', 1);
    return;
  }
  if (cli.duration !== undefined) setTimeout(() => void shutdown(`--duration ${cli.duration}s elapsed`), cli.duration * 1000);
}

await main();
