#!/usr/bin/env node
// `npm start`: the whole stack on one machine. Checks first (live: API keys; paper/live: the venues answer), then NATS
// (JetStream, data in .data/nats) and Redis (data in .data/redis) on the configured ports (a taken port is replaced by
// a free one, handed to the services through ARB__NATS__URL / ARB__REDIS__URL; the same for exchange-sim's ports),
// then every built service of scripts/stack.mjs. While it runs, a live summary (scripts/lib/summary.mjs): a dashboard
// on a terminal (service output then goes to <data-dir>/logs/), `[summary]` lines every 5 s otherwise.
// Ctrl-C / SIGTERM (or --duration) stops the producers, checks the stats service against the journal, stops stats,
// Redis and NATS, prints the FINAL summary and `stopped`. Exit 0 only when nothing died; 2 when a check failed.
import { existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Child } from './lib/child.mjs';
import { choosePort, infraRuntime, startInfra } from './lib/infra.mjs';
import { logger } from './lib/log.mjs';
import { clusterPorts, startNatsCluster } from './lib/nats-cluster.mjs';
import { credentialProblems, unreachableEndpoints } from './lib/preflight.mjs';
import { relocateSimPorts } from './lib/sim-ports.mjs';
import { configAt, loadStackConfig, stackVenues, venueEndpoints } from './lib/stack-config.mjs';
import * as summary from './lib/summary.mjs';
import { workspace } from './lib/workspace.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SERVICE_STOP_MS = 10_000;
const INFRA_STOP_MS = 10_000;
const REACH_TIMEOUT_MS = 4_000;

const USAGE = `usage: node scripts/start.mjs [--mode sim|paper|live] [--duration <seconds>] [--data-dir <dir>] [--stack <file.mjs>] [--summary auto|tty|plain|off] [--nats-cluster <n>]
  --mode      sets ARB_MODE for every service (default: ARB_MODE, else config mode, else sim)
  --nats-cluster  run NATS as a JetStream cluster of n local nodes (2..5; 1 = one server, the default); the streams
              and the config bucket get n replicas (ARB__NATS__REPLICAS) and the services every node's URL
  --duration  stop by itself after this many seconds (then print the final summary)
  --data-dir  where NATS and Redis keep their data, and service logs in terminal mode (default .data)
  --stack     an alternative service list (same shape as scripts/stack.mjs)
  --summary   live summary: auto (dashboard on a terminal, log lines otherwise), tty, plain or off`;

function parseCli() {
  try {
    const { values } = parseArgs({
      options: {
        mode: { type: 'string' },
        duration: { type: 'string' },
        'data-dir': { type: 'string' },
        stack: { type: 'string' },
        summary: { type: 'string' },
        'nats-cluster': { type: 'string' },
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
    if (values.summary !== undefined && !['auto', 'tty', 'plain', 'off'].includes(values.summary)) throw new Error(`--summary must be auto, tty, plain or off (got ${values.summary})`);
    const natsCluster = values['nats-cluster'] === undefined ? 1 : Number(values['nats-cluster']);
    if (!Number.isInteger(natsCluster) || natsCluster < 1 || natsCluster > 5) throw new Error(`--nats-cluster must be a whole number of nodes from 1 to 5 (got ${values['nats-cluster']})`);
    return { ...values, duration, natsCluster };
  } catch (error) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
}

const cli = parseCli();
const configDir = process.env.ARB_CONFIG_DIR ? resolve(process.env.ARB_CONFIG_DIR) : join(root, 'config');
const dataDir = resolve(root, cli['data-dir'] ?? '.data');
const summaryMode = summary.chooseSummaryMode(process.stdout, cli.summary);
const logDir = summaryMode === 'tty' ? join(dataDir, 'logs') : undefined;
const startedAt = Date.now();

// Output. On a terminal the dashboard owns the screen: our own lines become dashboard events (and go to
// logs/start.log), every child's output goes to logs/<name>.log. Otherwise everything is printed, prefixed.
const plainLog = logger('start');
const fileWriter = (name) => {
  mkdirSync(logDir, { recursive: true });
  const fd = openSync(join(logDir, `${name}.log`), 'a');
  return { write: (text) => writeSync(fd, text) };
};
const startLog = logDir ? fileWriter('start') : undefined;
let state;
let display;
const say = (level, text) => {
  startLog?.write(`${new Date().toISOString()} ${text}\n`);
  if (display?.mode === 'tty' && display.screenOn) state.event(text);
  else plainLog[level](text);
};
const log = { info: (t) => say('info', t), error: (t) => say('error', t) };
const outputFor = (name) => (logDir ? { stdout: fileWriter(name), stderr: fileWriter(name) } : undefined);

function fail(code, lines) {
  for (const line of lines) plainLog.error(line);
  process.exit(code);
}

let ws;
try {
  ws = workspace();
} catch (error) {
  fail(1, [error.message]);
}
// The mode: --mode, else what the services would resolve (ARB_MODE, else `mode` in default.yaml, else sim).
const config = loadOrFail(cli.mode);
const mode = String(config.mode);

function loadOrFail(m) {
  try {
    return loadStackConfig({ configDir, mode: m });
  } catch (error) {
    return fail(2, [`configuration error: ${error.message}`]);
  }
}

const children = []; // every Child, in start order: [nats, redis, ...services]
const services = []; // { child, stats: boolean }
const died = []; // { name, how }: exited on their own while the stack ran
const lastLines = new Map(); // child name -> its last output lines
let infra = [];
let bus;
let journalFromSeq = 0;
let statsUrl;
let stopPolling;
let stopping;
let stopReason;

process.on('exit', () => {
  display?.stop();
  for (const child of children) child.signal('SIGKILL');
});

const ctx = {
  mode,
  statusOrder: [...ws.contracts.EXECUTION_STATUSES],
  services: () => ({ running: services.filter((s) => s.child.running).length, died: died.map((d) => d.name) }),
  logDir,
  get statsUrl() {
    return statsUrl;
  },
  stopping: undefined,
};

/** Journal read + stats comparison for the final summary; never throws. */
async function collectFinal() {
  const out = {};
  if (!bus) return { journalError: 'not connected to NATS' };
  try {
    out.journal = await summary.readJournal(bus.nc, { fromSeq: journalFromSeq });
  } catch (error) {
    out.journalError = error.message;
  }
  if (statsUrl) {
    try {
      out.stats = await summary.statsCaughtUp(statsUrl, out.journal?.lastSeq ?? 0);
      if (out.journal) out.match = summary.compareWithJournal(out.stats, out.journal);
    } catch (error) {
      out.statsError = error.message;
    }
  }
  return out;
}

/**
 * Stops a running process and records it in `unclean` when `clean(how)` is false: services must exit with code 0;
 * nats-server/redis-server only must not need SIGKILL (nats-server exits 1 on SIGTERM by design).
 */
async function stopTracked(child, stop, unclean, clean = (how) => how === 'exit code 0') {
  if (!child.running) return;
  const how = await stop();
  if (!clean(how)) unclean.push({ name: child.name, how });
}

/**
 * Stops the producers (every service but stats) in parallel, reads the journal and the stats service's totals,
 * stops stats, then Redis and NATS; prints the final summary and `stopped`; exits. A second signal kills at once.
 */
function shutdown(reason, code = 0) {
  if (stopping) {
    log.info(`${reason} again: killing everything now`);
    for (const child of children) child.signal('SIGKILL');
    return stopping;
  }
  log.info(`${reason}: stopping`);
  stopReason = reason;
  ctx.stopping = 'stopping...';
  display?.draw();
  stopping = (async () => {
    const feedsAtStop = state?.feeds() ?? [];
    // the trading uptime as it stood while the stack ran: stopping the producers is not downtime
    const statsAtStop = statsUrl ? await summary.fetchJson(statsUrl).catch(() => undefined) : undefined;
    const ranMs = Date.now() - startedAt;
    const unclean = [];
    const stopServices = (stats) =>
      Promise.all(services.filter((s) => s.stats === stats).map((s) => stopTracked(s.child, () => s.child.stop(SERVICE_STOP_MS), unclean)));
    await stopServices(false);
    const final = await collectFinal();
    await stopServices(true);
    stopPolling?.();
    await bus?.close();
    await Promise.all(infra.map((i) => stopTracked(i.child, () => i.stop(INFRA_STOP_MS), unclean, (how) => how !== 'killed by SIGKILL')));
    await Promise.all(children.map((c) => c.exited));
    // the last lines still in the pipes come before the final summary (a grandchild holding a pipe: 2 s at most)
    await summary.within(2000, 'output pipes', Promise.all(children.map((c) => c.drained))).catch(() => undefined);
    display?.stop();
    const exitCode = code !== 0 ? code : died.length > 0 || unclean.length > 0 ? 1 : 0;
    if (state) {
      const lines = summary.renderFinal({
        state, mode, ranMs, reason: stopReason, feeds: feedsAtStop, statusOrder: ctx.statusOrder, statsUrl, statsAtStop, ...final,
        services: { started: services.length, died, unclean }, exitCode,
      });
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    if (logDir) process.stdout.write(`service logs: ${logDir}\n`);
    process.stdout.write('stopped\n');
    process.exit(exitCode);
  })();
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void shutdown(signal));

function watch(child, critical) {
  const tail = [];
  lastLines.set(child.name, tail);
  child.onLine((line) => {
    tail.push(line.length > 200 ? `${line.slice(0, 197)}...` : line);
    if (tail.length > 2) tail.shift();
  });
  child.exited.then((how) => {
    if (stopping) return;
    died.push({ name: child.name, how });
    const last = tail.length ? `; last output: ${tail.join(' | ')}` : '';
    if (critical) {
      log.error(`${child.name} died unexpectedly (${how}); stopping the stack${last}`);
      void shutdown(`${child.name} died`, 1);
    } else {
      log.error(`SERVICE DIED: ${child.name} (pid ${child.pid}) exited unexpectedly (${how})${logDir ? last : ''}`);
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
  const name = kind === 'nats' ? 'nats-server' : 'redis-server';
  const started = await startInfra(kind, runtime, { port, dataDir: join(dataDir, kind), password, output: outputFor(name) });
  children.push(started.child);
  infra.push(started);
  watch(started.child, true);
  const finalUrl = withPort(url, port);
  const shown = finalUrl.replace(/\/\/:[^@]*@/, '//:***@');
  const ready = kind === 'nats' ? `NATS ready at ${shown} (JetStream)` : `Redis ready at ${shown}`;
  if (display?.screenOn) log.info(ready);
  else process.stdout.write(`${ready}\n`);
  log.info(`${started.child.name} pid ${started.child.pid}, ${runtime}, data in ${join(dataDir, kind)}`);
  return finalUrl;
}

/** `--nats-cluster n`: n local nats-server nodes (node i on the configured client port + i); the URLs, comma-joined. */
async function startCluster(url) {
  const size = cli.natsCluster;
  const wanted = Number(new URL(url).port || 4222);
  const { nodes: ports, notes } = await clusterPorts(size, wanted, choosePort);
  for (const note of notes) log.info(note);
  const nodes = await startNatsCluster({
    ports,
    dataDir: join(dataDir, 'nats-cluster'),
    outputFor,
    onStarted: (node) => {
      children.push(node.child);
      infra.push(node);
      watch(node.child, false);
    },
  });
  const urls = nodes.map((n) => n.url).join(',');
  const ready = `NATS cluster ready: ${size} nodes at ${urls} (JetStream, streams and config bucket with ${natsReplicas()} replicas)`;
  if (display?.screenOn) log.info(ready);
  else process.stdout.write(`${ready}\n`);
  for (const n of nodes) log.info(`${n.name} pid ${n.child.pid}, monitoring http://127.0.0.1:${n.monitorPort}, data in ${n.dir}`);
  return urls;
}

/** Replicas of the streams and the config bucket: ARB__NATS__REPLICAS when set, else the cluster size (1 = one server). */
function natsReplicas() {
  return process.env.ARB__NATS__REPLICAS ?? String(cli.natsCluster);
}

async function loadStack() {
  const file = cli.stack ? resolve(cli.stack) : join(root, 'scripts', 'stack.mjs');
  const { services: list } = await import(pathToFileURL(file).href);
  if (!Array.isArray(list)) throw new Error(`${file} must export an array named services`);
  return list;
}

async function startServices(urls, extraEnv) {
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
      const cluster = cli.natsCluster > 1 ? { ARB__NATS__REPLICAS: natsReplicas() } : {};
      const env = { ...process.env, ...extraEnv, ARB_MODE: mode, ARB__NATS__URL: urls.nats, ...cluster, ARB__REDIS__URL: urls.redis, ARB_INSTANCE_ID: name, ...(spec.env ?? {}) };
      if (spec.httpPort !== undefined) {
        const { port, moved } = await choosePort(spec.httpPort + i);
        if (moved) log.info(`${name}: port ${spec.httpPort + i} is taken, using ${port}`);
        env.ARB__HTTP__PORT = String(port);
        if (spec.role === 'stats' && statsUrl === undefined) statsUrl = `http://127.0.0.1:${port}/stats`;
      }
      const child = new Child(name, process.execPath, [entry], { env, cwd: root, output: outputFor(name) });
      children.push(child);
      services.push({ child, stats: spec.role === 'stats' });
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

/** live: API keys; paper/live: every venue endpoint answers. Exits 2 naming what is wrong, before anything starts. */
async function preflight() {
  if (mode === 'live') {
    const problems = credentialProblems(stackVenues(config));
    if (problems.length > 0) {
      fail(2, [
        'live mode trades with real API keys, and these are missing or unusable:',
        ...problems.map((p) => `  ${p.venue}: ${p.problem}`),
        'Set each variable in the environment (or NAME_FILE = path of a file holding the value). Nothing was started.',
        'Run `npm start -- --mode sim` (or paper) to run without keys.',
      ]);
    }
  }
  if (mode === 'paper' || mode === 'live') {
    const unreachable = await unreachableEndpoints(venueEndpoints(config), REACH_TIMEOUT_MS);
    if (unreachable.length > 0) {
      fail(2, [`${mode} mode needs the real venues, and ${unreachable.length === 1 ? 'one does' : 'some do'} not answer:`, ...unreachable.map((u) => `  ${u}`),
        'Nothing was started. Run `npm start -- --mode sim` to use the local exchange-sim instead.']);
    }
  }
}

async function main() {
  await preflight();
  const runtime = infraRuntime();
  if (!runtime) fail(1, ['nats-server/redis-server not found and no Docker engine answers: run `node scripts/setup.mjs` (npm start does) or install them']);
  if (cli.natsCluster > 1 && runtime !== 'local') {
    fail(2, ['--nats-cluster runs local nats-server binaries; without them use `docker compose -f docker-compose.yml -f docker-compose.nats-cluster.yml up`']);
  }
  state = new summary.SummaryState({ Big: ws.Big });
  display = new summary.SummaryDisplay({ state, ctx, mode: summaryMode });
  display.start();
  log.info(`mode ${mode}, config ${configDir}`);
  try {
    const configuredNats = String(configAt(config, 'nats.url') ?? 'nats://127.0.0.1:4222').split(',')[0].trim();
    const natsUrl = cli.natsCluster > 1 ? await startCluster(configuredNats) : await startServer('nats', runtime, configuredNats);
    if (stopping) return;
    bus = await summary.connectSummaryBus({ url: natsUrl, state });
    journalFromSeq = await summary.journalLastSeq(bus.nc);
    if (stopping) return;
    const redisUrl = await startServer('redis', runtime, String(configAt(config, 'redis.url') ?? 'redis://127.0.0.1:6379'));
    if (stopping) return;
    let extraEnv = {};
    if (mode === 'sim') {
      const moved = await relocateSimPorts(config, choosePort);
      for (const note of moved.notes) log.info(note);
      extraEnv = moved.env;
    }
    const started = await startServices({ nats: natsUrl, redis: redisUrl }, extraEnv);
    if (stopping) return;
    if (statsUrl && display.mode === 'tty') stopPolling = summary.pollStats(statsUrl, state);
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
