import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ContainerRuntimeError } from './errors';
import type { TestkitRuntime } from './types';

export type RuntimeSetting = TestkitRuntime | 'auto';

/** Reads `ARB_TESTKIT_RUNTIME` (local | docker | auto, default auto). */
export function runtimeSetting(env: NodeJS.ProcessEnv = process.env): RuntimeSetting {
  const raw = (env['ARB_TESTKIT_RUNTIME'] ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'auto') return 'auto';
  if (raw === 'local' || raw === 'docker') return raw;
  throw new ContainerRuntimeError(`ARB_TESTKIT_RUNTIME must be local, docker or auto (got "${raw}")`);
}

/** Places a Docker engine may be announced: if none exists, no engine can answer and we skip the slow check. */
export function dockerHints(env: NodeJS.ProcessEnv = process.env): string[] {
  const hints: string[] = [];
  if ((env['DOCKER_HOST'] ?? '') !== '') hints.push(`DOCKER_HOST=${env['DOCKER_HOST']}`);
  const home = homedir();
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const files = [
    '/var/run/docker.sock',
    join(home, '.testcontainers.properties'),
    join(home, '.docker', 'run', 'docker.sock'),
    join(home, '.docker', 'desktop', 'docker.sock'),
    ...(env['XDG_RUNTIME_DIR'] ? [join(env['XDG_RUNTIME_DIR'], 'docker.sock')] : []),
    ...(uid !== undefined ? [`/run/user/${uid}/docker.sock`] : []),
  ];
  for (const file of files) if (existsSync(file)) hints.push(file);
  return hints;
}

let dockerCheck: Promise<boolean> | undefined;

/** True when testcontainers finds a Docker engine that answers within `timeoutMs`. Cached per process. */
export function dockerAnswers(timeoutMs = 4000): Promise<boolean> {
  dockerCheck ??= checkDocker(timeoutMs);
  return dockerCheck;
}

async function checkDocker(timeoutMs: number): Promise<boolean> {
  if (dockerHints().length === 0) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    return await Promise.race([getContainerRuntimeClient().then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** The runtime to use now: the setting, with `auto` meaning docker when an engine answers, else local. */
export async function resolveRuntime(): Promise<TestkitRuntime> {
  const setting = runtimeSetting();
  if (setting === 'local') return 'local';
  const docker = await dockerAnswers();
  if (setting === 'docker' && !docker) {
    throw new ContainerRuntimeError('ARB_TESTKIT_RUNTIME=docker but no Docker engine answers (check DOCKER_HOST or the socket)');
  }
  return docker ? 'docker' : 'local';
}
