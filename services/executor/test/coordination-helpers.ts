import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, createRedis, quitRedis, type Redis } from '@arb/service-kit';
import { REPO_ROOT } from '@arb/testkit';

/** Production-like clients (reconnect forever, offline queue) with a silent logger; closed by `closeAll`. */
export class Clients {
  private readonly open: Redis[] = [];

  make(url: string, n = 1): Redis[] {
    const logger = createLogger({ name: 'coordination-test', level: 'silent' });
    const made = Array.from({ length: n }, (_, i) => createRedis({ url, name: `coord-test-${i}`, logger, maxRetryDelayMs: 100 }));
    this.open.push(...made);
    return made;
  }

  one(url: string): Redis {
    const [client] = this.make(url, 1);
    if (client === undefined) throw new Error('no client');
    return client;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.open.splice(0).map((c) => quitRedis(c)));
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every 20 ms until it is true; throws after `timeoutMs`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}

export function strictlyIncreasing(xs: readonly number[]): boolean {
  return xs.every((x, i) => i === 0 || x > (xs[i - 1] ?? Number.POSITIVE_INFINITY));
}

/** A Redis user's ACL rules as shipped (k8s/base/redis/users.acl, also what docker-compose runs), without `user <name> on`. */
export function shippedRedisRules(user: string): string {
  const line = readFileSync(join(REPO_ROOT, 'k8s/base/redis/users.acl'), 'utf8').split('\n').find((l) => l.startsWith(`user ${user} on `));
  if (line === undefined) throw new Error(`no user ${user} in k8s/base/redis/users.acl`);
  return line.slice(`user ${user} on `.length);
}
