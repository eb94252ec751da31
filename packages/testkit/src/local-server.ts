import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { track, release, type Leftover } from './child-registry';
import { freePort } from './free-port';
import { LocalProcess, type LocalProcessSpec } from './local-process';
import { claimDir, sweepStaleDirs } from './stale-dirs';
import type { ServerHandle } from './types';

const HOST = '127.0.0.1';
const START_ATTEMPTS = 4;
const RESTART_ATTEMPTS = 20;

export interface LocalServerRecipe {
  readonly name: string;
  readonly binary: string;
  /** Prefix of the temp dir (under the OS temp dir). */
  readonly dirPrefix: string;
  args(port: number, dir: string): string[];
  probe(host: string, port: number): Promise<unknown>;
  url(host: string, port: number): string;
}

export interface LocalServer extends ServerHandle {
  readonly dir: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a server binary on a free port of 127.0.0.1 with its own temp dir. A port lost to a race is retried
 * with a new one at start; `restart()` keeps the port (waiting for it to be released) and the dir.
 */
export async function startLocalServer(recipe: LocalServerRecipe): Promise<LocalServer> {
  sweepStaleDirs();
  const dir = await mkdtemp(join(tmpdir(), recipe.dirPrefix));
  claimDir(dir);
  let proc: LocalProcess | undefined;
  const leftover: Leftover = { pid: () => proc?.pid, dirs: [dir] };
  track(leftover);

  const makeProcess = (port: number): LocalProcess => {
    const spec: LocalProcessSpec = {
      name: recipe.name,
      binary: recipe.binary,
      args: recipe.args(port, dir),
      probe: () => recipe.probe(HOST, port),
      readyTimeoutMs: 20_000,
      stopTimeoutMs: 5_000,
    };
    return new LocalProcess(spec);
  };

  const launch = async (pickPort: () => Promise<number>, attempts: number, pauseMs: number): Promise<number> => {
    for (let attempt = 1; ; attempt++) {
      const port = await pickPort();
      proc = makeProcess(port);
      try {
        await proc.start();
        return port;
      } catch (error) {
        if (attempt >= attempts || !proc.failedOnAddressInUse()) throw error;
        await sleep(pauseMs);
      }
    }
  };

  let port: number;
  try {
    port = await launch(() => freePort(HOST), START_ATTEMPTS, 0);
  } catch (error) {
    release(leftover);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  let stopped = false;
  return {
    url: recipe.url(HOST, port),
    host: HOST,
    port,
    dir,
    runtime: 'local',
    get pid() {
      return proc?.pid;
    },
    async restart() {
      if (stopped) throw new Error(`${recipe.name} was stopped; start a new one`);
      await proc?.stop();
      await launch(async () => port, RESTART_ATTEMPTS, 250);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await proc?.stop();
      } finally {
        release(leftover);
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
