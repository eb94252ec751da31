import { mkdirSync } from 'node:fs';
import { which } from './bins.mjs';
import { Child } from './child.mjs';
import { capture } from './run.mjs';
import { freePort, isPortFree, probeNats, probeRedis, waitUntilReady } from './probes.mjs';

const IMAGES = { nats: 'nats:2.10-alpine', redis: 'redis:7-alpine' };

/** local binaries when installed, else Docker when an engine answers, else undefined. */
export function infraRuntime() {
  if (which('nats-server') && which('redis-server')) return 'local';
  if (which('docker') && capture('docker', ['info'], { timeout: 15_000 }).ok) return 'docker';
  return undefined;
}

/** The configured port, or a free one when it is taken (`moved` says so). */
export async function choosePort(wanted) {
  if (await isPortFree(wanted)) return { port: wanted, moved: false };
  return { port: await freePort(), moved: true };
}

function commandFor(kind, runtime, { port, dataDir, password, containerName }) {
  if (runtime === 'local') {
    return kind === 'nats'
      ? [which('nats-server'), ['-js', '-sd', dataDir, '-a', '127.0.0.1', '-p', String(port)]]
      : [which('redis-server'), ['--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir, '--appendonly', 'yes', '--save', '',
          ...(password ? ['--requirepass', password] : [])]];
  }
  const common = ['run', '--rm', '--name', containerName, '-v', `${dataDir}:/data`];
  return kind === 'nats'
    ? ['docker', [...common, '-p', `127.0.0.1:${port}:4222`, IMAGES.nats, '-js', '-sd', '/data']]
    : ['docker', [...common, '-p', `127.0.0.1:${port}:6379`, IMAGES.redis, 'redis-server', '--appendonly', 'yes', '--save', '', '--dir', '/data',
        ...(password ? ['--requirepass', password] : [])]];
}

/**
 * Starts nats-server (JetStream) or redis-server as a child (local binary or `docker run`) with its data under
 * `dataDir`, and waits until it answers. Returns the Child plus a `stop()` that also stops the container.
 * `output` is passed to the Child (default: this process's stdout/stderr).
 */
export async function startInfra(kind, runtime, { port, dataDir, password, output }) {
  mkdirSync(dataDir, { recursive: true });
  const containerName = `arb-${kind}-${process.pid}`;
  const [command, args] = commandFor(kind, runtime, { port, dataDir, password, containerName });
  const child = new Child(kind === 'nats' ? 'nats-server' : 'redis-server', command, args, { output });
  const stop = async (timeoutMs) => {
    if (runtime === 'docker' && child.running) capture('docker', ['stop', '-t', String(Math.ceil(timeoutMs / 1000)), containerName]);
    return child.stop(timeoutMs);
  };
  const probe = kind === 'nats' ? () => probeNats('127.0.0.1', port) : () => probeRedis('127.0.0.1', port, password);
  try {
    await waitUntilReady(probe, {
      timeoutMs: runtime === 'docker' ? 120_000 : 20_000,
      dead: () => (child.running ? undefined : `${child.name} exited during start-up (${child.exitDescription})`),
    });
  } catch (error) {
    await stop(2_000);
    throw error;
  }
  return { child, stop, runtime };
}
