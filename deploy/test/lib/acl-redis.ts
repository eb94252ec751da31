import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, requireBinary } from '@arb/testkit';
import { objAt } from './json';
import { nameOf, type K8sObject } from './k8s-object';

export class AclRedisError extends Error {
  override readonly name = 'AclRedisError';
}

/** The Redis files of the manifests: redis.conf, the users.acl template and render-acl.sh (ConfigMap redis-config). */
export interface RedisFiles {
  readonly conf: string;
  readonly acl: string;
  readonly renderScript: string;
}

/**
 * redis-server run as the k8s pod runs it: the ACL file rendered by the manifests' own render-acl.sh from the template
 * and one password file per user (as Secret arb-redis is mounted in the init container), then redis-server with the
 * rendered redis.conf (its aclfile, port and dir pointed at the test's directory).
 */
export class AclRedis {
  readonly lines: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly passwords: Readonly<Record<string, string>>,
    private readonly exited: Promise<void>,
    /** What render-acl.sh printed. */
    readonly renderOutput: string,
  ) {}

  static async start(files: RedisFiles, passwords: Readonly<Record<string, string>>, dir: string): Promise<AclRedis> {
    mkdirSync(join(dir, 'passwords'), { recursive: true });
    mkdirSync(join(dir, 'data'), { recursive: true });
    for (const [user, pw] of Object.entries(passwords)) writeFileSync(join(dir, 'passwords', user), pw, { mode: 0o400 });
    writeFileSync(join(dir, 'users.acl.template'), files.acl);
    writeFileSync(join(dir, 'render-acl.sh'), files.renderScript);
    const render = spawnSync('sh', [join(dir, 'render-acl.sh'), join(dir, 'users.acl.template'), join(dir, 'users.acl')], {
      env: { PATH: process.env.PATH ?? '', REDIS_PASSWORD_DIR: join(dir, 'passwords') },
      encoding: 'utf8',
    });
    if (render.status !== 0) throw new AclRedisError(`render-acl.sh failed (${render.status}): ${render.stderr}`);
    const port = await freePort();
    const conf = files.conf
      .replace(/^aclfile .*$/m, `aclfile ${join(dir, 'users.acl')}`)
      .replace(/^dir .*$/m, `dir ${join(dir, 'data')}`)
      .replace(/^port .*$/m, `port ${port}\nbind 127.0.0.1`);
    writeFileSync(join(dir, 'redis.conf'), conf);
    const child = spawn(requireBinary('redis-server'), [join(dir, 'redis.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const server = new AclRedis(child, port, passwords, exited, `${render.stdout}${render.stderr}`);
    for (const s of [child.stdout, child.stderr]) {
      s?.setEncoding('utf8');
      s?.on('data', (chunk: string) => server.lines.push(...chunk.split('\n').filter(Boolean)));
    }
    const deadline = Date.now() + 15_000;
    while (!server.lines.some((l) => l.includes('Ready to accept connections')) && child.exitCode === null) {
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    if (!server.lines.some((l) => l.includes('Ready to accept connections'))) {
      await server.stop();
      throw new AclRedisError(`redis-server did not start:\n${server.lines.join('\n')}`);
    }
    return server;
  }

  /** The URL a service of this user connects with, as k8s gives it: redis://<user>:<password>@host:port. */
  url(user: string, password = this.passwords[user] ?? ''): string {
    return `redis://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${this.port}`;
  }

  /** The rendered ACL file (hashes only). */
  static renderedAcl(dir: string): string {
    return readFileSync(join(dir, 'users.acl'), 'utf8');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

/** redis-config (redis.conf, users.acl, render-acl.sh) and the arb-redis passwords of a rendered overlay. */
export function redisWiring(objects: readonly K8sObject[]): { files: RedisFiles; passwords: Record<string, string> } {
  const byPrefix = (kind: string, prefix: string): K8sObject => {
    const o = objects.find((x) => x.kind === kind && nameOf(x).startsWith(`${prefix}-`));
    if (o === undefined) throw new AclRedisError(`no ${kind} ${prefix} in the rendered manifests`);
    return o;
  };
  const data = objAt(byPrefix('ConfigMap', 'redis-config'), 'data') ?? {};
  const passwords: Record<string, string> = {};
  for (const [k, v] of Object.entries(objAt(byPrefix('Secret', 'arb-redis'), 'data') ?? {})) passwords[k] = Buffer.from(String(v), 'base64').toString('utf8');
  return { files: { conf: String(data['redis.conf']), acl: String(data['users.acl']), renderScript: String(data['render-acl.sh']) }, passwords };
}
