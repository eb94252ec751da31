#!/usr/bin/env node
// Prepares a fresh clone for `npm start` / `npm test`: pnpm at the pinned version, dependencies (frozen
// lockfile, skipped when unchanged), nats-server + redis-server (or a Docker engine), and a build of every
// package. Plain Node, no dependencies: it runs before anything is installed. Works with CI=true, no stdin.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { which } from './lib/bins.mjs';
import { logger, since } from './lib/log.mjs';
import { capture, run } from './lib/run.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = logger('setup');
const toolsBin = join(root, '.tools', 'node_modules', '.bin');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function fail(message, code = 1) {
  log.error(message);
  process.exit(code);
}

function pinnedPnpm() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const match = /^pnpm@(\d+\.\d+\.\d+)/.exec(pkg.packageManager ?? '');
  if (!match) fail('package.json has no "packageManager": "pnpm@x.y.z"');
  return match[1];
}

function pnpmVersion(bin) {
  const result = capture(bin, ['--version'], { cwd: root });
  return result.ok ? result.stdout.split('\n').pop() : undefined;
}

/** A pnpm binary at exactly the pinned version: PATH, then .tools, else install it (global, then .tools). */
function ensurePnpm(version) {
  const candidates = [which('pnpm'), join(toolsBin, 'pnpm')].filter((c) => c && existsSync(c));
  for (const bin of candidates) if (pnpmVersion(bin) === version) return bin;
  log.info(`installing pnpm ${version}`);
  const env = { ...process.env, COREPACK_ENABLE_STRICT: '0' };
  if (capture(npm, ['install', '-g', `pnpm@${version}`], { env }).ok) {
    const bin = which('pnpm');
    if (bin && pnpmVersion(bin) === version) return bin;
  }
  const local = capture(npm, ['install', '--no-save', '--no-package-lock', '--prefix', join(root, '.tools'), `pnpm@${version}`], { env });
  const bin = join(toolsBin, 'pnpm');
  if (local.ok && pnpmVersion(bin) === version) return bin;
  fail(`could not install pnpm ${version} (npm install -g and --prefix .tools both failed):\n${local.stderr.slice(-2000)}`);
}

/** What node_modules was installed from: the lockfile, the workspace file and the Node major version. */
function installFingerprint() {
  const hash = createHash('sha256');
  for (const file of ['pnpm-lock.yaml', 'pnpm-workspace.yaml']) {
    const path = join(root, file);
    hash.update(existsSync(path) ? readFileSync(path) : '');
  }
  hash.update(process.versions.node.split('.')[0]);
  return hash.digest('hex');
}

async function installDependencies(pnpm) {
  const stamp = join(root, 'node_modules', '.arb-setup-stamp');
  const fingerprint = installFingerprint();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === fingerprint) {
    log.info('dependencies up to date');
    return;
  }
  const t0 = Date.now();
  log.info('pnpm install --frozen-lockfile');
  const code = await run(pnpm, ['install', '--frozen-lockfile', '--config.confirmModulesPurge=false', '--reporter=append-only'], {
    cwd: root,
    env: { ...process.env, CI: process.env.CI ?? 'true' },
  });
  if (code !== 0) fail(`pnpm install failed (exit ${code})`, code);
  writeFileSync(stamp, `${fingerprint}\n`);
  log.info(`dependencies installed (${since(t0)})`);
}

function canUseApt() {
  if (!which('apt-get')) return undefined;
  if (typeof process.getuid === 'function' && process.getuid() === 0) return [];
  if (which('sudo') && capture('sudo', ['-n', 'true']).ok) return ['sudo', '-n'];
  return undefined;
}

/** nats-server and redis-server on this machine; else apt-get; else a Docker engine; else say what to install. */
async function ensureServers() {
  const wanted = ['nats-server', 'redis-server'];
  let missing = wanted.filter((b) => !which(b));
  if (missing.length > 0) {
    const prefix = canUseApt();
    if (prefix) {
      const t0 = Date.now();
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      const [cmd, ...pre] = prefix.length > 0 ? prefix : ['apt-get'];
      const args = (rest) => (prefix.length > 0 ? [...pre, 'apt-get', ...rest] : rest);
      log.info(`apt-get install -y ${missing.join(' ')}`);
      const updated = await run(cmd, args(['update', '-q']), { env });
      const installed = updated === 0 ? await run(cmd, args(['install', '-y', '-q', '--no-install-recommends', ...missing]), { env }) : updated;
      if (installed !== 0) log.error(`apt-get failed (exit ${installed})`);
      else log.info(`installed ${missing.join(' ')} (${since(t0)})`);
      missing = wanted.filter((b) => !which(b));
    }
  }
  if (missing.length === 0) {
    for (const bin of wanted) log.info(`${bin} ${serverVersion(bin)} ok`);
    return;
  }
  if (which('docker') && capture('docker', ['info'], { timeout: 15_000 }).ok) {
    log.info(`${missing.join(' and ')} not installed: Docker answers, containers (nats:2.10-alpine, redis:7-alpine) will be used`);
    return;
  }
  fail(
    `${missing.join(' and ')} not found and could not be installed. Install them ` +
      `(Debian/Ubuntu: sudo apt-get install -y nats-server redis-server; macOS: brew install nats-server redis) ` +
      'or start a Docker engine, then run this again.',
  );
}

function serverVersion(bin) {
  const out = capture(which(bin), ['--version']).stdout;
  return /v?(\d+\.\d+\.\d+)/.exec(out)?.[1] ?? '';
}

// --- Chromium for the stats status-page test (services/stats/test/status-page.int.test.ts) -------------------
// Debian's `chromium` at /usr/bin/chromium, driven by playwright-core (no browser download). Installed with apt-get
// when running as root (or passwordless sudo), like the servers above; otherwise we only say what to install.
const CHROMIUM = '/usr/bin/chromium';

async function ensureChromium() {
  if (existsSync(CHROMIUM)) {
    log.info(`chromium ${/(\d+\.\d+\.\d+\.\d+)/.exec(capture(CHROMIUM, ['--version']).stdout)?.[1] ?? ''} ok`);
    return;
  }
  const prefix = canUseApt();
  if (prefix) {
    const t0 = Date.now();
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const [cmd, ...pre] = prefix.length > 0 ? prefix : ['apt-get'];
    const args = (rest) => (prefix.length > 0 ? [...pre, 'apt-get', ...rest] : rest);
    log.info('apt-get install -y chromium');
    const updated = await run(cmd, args(['update', '-q']), { env });
    const installed = updated === 0 ? await run(cmd, args(['install', '-y', '-q', '--no-install-recommends', 'chromium']), { env }) : updated;
    if (installed === 0 && existsSync(CHROMIUM)) {
      log.info(`installed chromium (${since(t0)})`);
      return;
    }
    log.error(`apt-get install chromium failed (exit ${installed})`);
  }
  log.error(`${CHROMIUM} not found: the status-page browser test needs it (Debian/Ubuntu: sudo apt-get install -y chromium)`);
}
// --- end of the Chromium step ---------------------------------------------------------------------------------

// --- Prometheus for the observability test (deploy/test/observability*.test.ts) ---------------------------------
// Debian's `prometheus` package: /usr/bin/prometheus (scrapes the running stack in the test) and /usr/bin/promtool
// (checks deploy/prometheus/*.yml and every dashboard query). Installed with apt-get when running as root (or
// passwordless sudo), like the servers above; otherwise we only say what to install. The package's own service is
// not needed (and not started in containers without systemd).
async function ensurePrometheus() {
  const present = () => which('prometheus') && which('promtool');
  if (present()) {
    const out = capture(which('prometheus'), ['--version']);
    log.info(`prometheus ${/version (\d+\.\d+\.\d+)/.exec(`${out.stdout}\n${out.stderr}`)?.[1] ?? ''} ok`);
    return;
  }
  const prefix = canUseApt();
  if (prefix) {
    const t0 = Date.now();
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const [cmd, ...pre] = prefix.length > 0 ? prefix : ['apt-get'];
    const args = (rest) => (prefix.length > 0 ? [...pre, 'apt-get', ...rest] : rest);
    log.info('apt-get install -y prometheus');
    const updated = await run(cmd, args(['update', '-q']), { env });
    const installed = updated === 0 ? await run(cmd, args(['install', '-y', '-q', '--no-install-recommends', 'prometheus']), { env }) : updated;
    if (installed === 0 && present()) {
      log.info(`installed prometheus (${since(t0)})`);
      return;
    }
    log.error(`apt-get install prometheus failed (exit ${installed})`);
  }
  log.error('prometheus/promtool not found: the observability tests need them (Debian/Ubuntu: sudo apt-get install -y prometheus)');
}
// --- end of the Prometheus step -------------------------------------------------------------------------------

async function build() {
  const t0 = Date.now();
  const tsc = join(root, 'node_modules', '.bin', 'tsc');
  const code = await run(tsc, ['-b'], { cwd: root });
  if (code !== 0) fail(`build failed: tsc -b exited ${code}`, code);
  log.info(`build ok (tsc -b, ${since(t0)})`);
}

const t0 = Date.now();
const version = pinnedPnpm();
const pnpm = ensurePnpm(version);
log.info(`pnpm ${version} ok`);
await installDependencies(pnpm);
await ensureServers();
await ensureChromium();
await ensurePrometheus();
await build();
log.info(`done (${since(t0)})`);
