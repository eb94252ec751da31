import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, parseInfo, requireBinary, respCall, type RespValue } from '@arb/testkit';
import type { RedisFiles } from './acl-redis';

export class SentinelRedisError extends Error {
  override readonly name = 'SentinelRedisError';
}

/** The files of k8s/redis-sentinel (ConfigMap redis-sentinel-config). */
export interface SentinelFiles {
  readonly replicationAcl: string;
  readonly lib: string;
  readonly nodeScript: string;
  readonly sentinelScript: string;
  readonly sentinelTemplate: string;
}

const HOST = '127.0.0.1';
/** What every process announces and is monitored under: a DNS name (as the pods' and containers' names), not an IP. */
const NAME = 'localhost';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One process started through the manifests' own script (the script execs redis-server: the same pid). */
export class ScriptedServer {
  readonly lines: string[] = [];
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly argv: readonly string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly login: readonly string[],
  ) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Runs the script (which renders the config, then execs redis-server) and waits until it answers PING. */
  async start(): Promise<void> {
    const child = spawn('sh', [...this.argv], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    for (const s of [child.stdout, child.stderr]) {
      s?.setEncoding('utf8');
      s?.on('data', (chunk: string) => this.lines.push(...chunk.split('\n').filter(Boolean)));
    }
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (!this.running) throw new SentinelRedisError(`${this.name} exited:\n${this.lines.join('\n')}`);
      try {
        const [, pong] = await respCall(HOST, this.port, [this.login, ['PING']], 1000);
        if (pong === 'PONG') return;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) {
        await this.stop();
        throw new SentinelRedisError(`${this.name} did not answer PING:\n${this.lines.join('\n')}`);
      }
      await sleep(50);
    }
  }

  /** A crash: SIGKILL, nothing flushed or handed over. */
  async kill(): Promise<void> {
    if (this.running) this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM; SIGKILL after 5 s (a primary waits for its replicas on shutdown). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child?.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** A command after logging in as this server's admin login. */
  async call(command: readonly string[]): Promise<RespValue> {
    const replies = await respCall(HOST, this.port, [this.login, command], 3000);
    return replies[1] ?? null;
  }
}

/**
 * The Sentinel topology of the manifests on 127.0.0.1: `nodes` data nodes and `sentinels` Sentinels, each started by
 * the shipped scripts (redis-node.sh, sentinel.sh) from the shipped files, with the passwords given as files
 * (REDIS_PASSWORD_DIR, as Secret arb-redis is mounted in k8s). The only changes to the files: each process's port,
 * its data dir and ACL file path (all processes share one host); every process is known as `localhost` (a name, as in
 * the deployments: Sentinel resolves and announces host names) and listens on 127.0.0.1.
 */
export class SentinelRedis {
  private constructor(
    readonly dir: string,
    readonly nodes: readonly ScriptedServer[],
    readonly sentinels: readonly ScriptedServer[],
    readonly passwords: Readonly<Record<string, string>>,
  ) {}

  static async start(redis: RedisFiles, files: SentinelFiles, passwords: Readonly<Record<string, string>>, dir: string, counts = { nodes: 3, sentinels: 3 }): Promise<SentinelRedis> {
    requireBinary('redis-server');
    requireBinary('redis-cli');
    const secrets = join(dir, 'passwords');
    mkdirSync(secrets, { recursive: true });
    for (const [user, pw] of Object.entries(passwords)) writeFileSync(join(secrets, user), pw, { mode: 0o400 });
    const nodePorts = await Promise.all(Array.from({ length: counts.nodes }, () => freePort(HOST)));
    const sentinelPorts = await Promise.all(Array.from({ length: counts.sentinels }, () => freePort(HOST)));
    const env = (): NodeJS.ProcessEnv => ({
      PATH: process.env.PATH ?? '',
      REDIS_PASSWORD_DIR: secrets,
      REDIS_ANNOUNCE_HOST: NAME,
      REDIS_INITIAL_PRIMARY: `${NAME}:${nodePorts[0] ?? 0}`,
      REDIS_SENTINELS: sentinelPorts.map((p) => `${NAME}:${p}`).join(' '),
    });
    const ownDir = (base: string): string => {
      const own = join(base, 'etc-redis-sentinel');
      mkdirSync(own, { recursive: true });
      writeFileSync(join(own, 'replication.acl'), files.replicationAcl);
      writeFileSync(join(own, 'lib.sh'), files.lib);
      writeFileSync(join(own, 'redis-node.sh'), files.nodeScript);
      writeFileSync(join(own, 'sentinel.sh'), files.sentinelScript);
      return own;
    };
    const nodes = nodePorts.map((port, i) => {
      const base = join(dir, `redis-${i}`);
      const etc = join(base, 'etc-redis');
      const run = join(base, 'run');
      for (const d of [etc, run, join(base, 'data')]) mkdirSync(d, { recursive: true });
      const own = ownDir(base);
      writeFileSync(join(own, 'sentinel.conf'), files.sentinelTemplate);
      writeFileSync(
        join(etc, 'redis.conf'),
        redis.conf
          .replace(/^aclfile .*$/m, `aclfile ${join(run, 'users.acl')}`)
          .replace(/^dir .*$/m, `dir ${join(base, 'data')}`)
          .replace(/^port .*$/m, `port ${port}\nbind ${HOST}`),
      );
      writeFileSync(join(etc, 'users.acl'), redis.acl);
      writeFileSync(join(etc, 'render-acl.sh'), redis.renderScript);
      const argv = [join(own, 'redis-node.sh'), etc, own, run, '--', requireBinary('redis-server'), join(run, 'node.conf')];
      return new ScriptedServer(`redis-${i}`, port, argv, env(), ['AUTH', 'admin', passwords.admin ?? '']);
    });
    const sentinels = sentinelPorts.map((port, i) => {
      const base = join(dir, `sentinel-${i}`);
      const run = join(base, 'run');
      mkdirSync(run, { recursive: true });
      const own = ownDir(base);
      writeFileSync(join(own, 'sentinel.conf'), files.sentinelTemplate.replace(/^port .*$/m, `port ${port}\nbind ${HOST}`));
      const argv = [join(own, 'sentinel.sh'), own, run, '--', requireBinary('redis-server'), join(run, 'sentinel.conf'), '--sentinel'];
      return new ScriptedServer(`sentinel-${i}`, port, argv, env(), ['AUTH', passwords.sentinels ?? '']);
    });
    const set = new SentinelRedis(dir, nodes, sentinels, passwords);
    try {
      for (const n of nodes) await n.start();
      for (const s of sentinels) await s.start();
    } catch (error) {
      await set.stop();
      throw error;
    }
    return set;
  }

  /** `host:port` of every Sentinel, as redis.sentinel.nodes takes them. */
  get sentinelNodes(): string[] {
    return this.sentinels.map((s) => `${NAME}:${s.port}`);
  }

  /** The data node the first answering Sentinel names primary. */
  async primary(): Promise<ScriptedServer | undefined> {
    for (const s of this.sentinels.filter((x) => x.running)) {
      try {
        const addr = await s.call(['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'arb']);
        if (Array.isArray(addr)) return this.nodes.find((n) => n.port === Number(addr[1]));
      } catch {
        // the next one
      }
    }
    return undefined;
  }

  /**
   * Until the named primary reports `replicas` replicas online and every running Sentinel names it, sees it healthy
   * and knows `replicas` healthy replicas and every other running Sentinel.
   */
  async waitSettled(replicas: number, timeoutMs = 30_000, not?: ScriptedServer): Promise<ScriptedServer> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    for (;;) {
      try {
        const p = await this.primary();
        if (p === undefined || p === not) throw new Error(`primary: ${p?.name ?? 'none'}`);
        const info = parseInfo(await p.call(['INFO', 'replication']));
        const online = [...info.entries()].filter(([k, v]) => /^slave[0-9]+$/.test(k) && v.includes('state=online')).length;
        if (info.get('role') !== 'master' || online < replicas) throw new Error(`${p.name}: role ${info.get('role') ?? '?'}, ${online} replicas online`);
        const running = this.sentinels.filter((x) => x.running);
        for (const s of running) {
          const m = await s.call(['SENTINEL', 'MASTER', 'arb']);
          const f = new Map<string, string>();
          if (Array.isArray(m)) for (let i = 0; i + 1 < m.length; i += 2) f.set(String(m[i]), String(m[i + 1]));
          if (Number(f.get('port')) !== p.port || f.get('flags') !== 'master' || Number(f.get('num-other-sentinels')) < running.length - 1) {
            throw new Error(`${s.name}: master port ${f.get('port') ?? '?'} flags ${f.get('flags') ?? '?'}, ${f.get('num-other-sentinels') ?? '?'} other Sentinels`);
          }
          const known = await s.call(['SENTINEL', 'REPLICAS', 'arb']);
          const healthy = Array.isArray(known) ? known.filter((r) => Array.isArray(r) && r[r.indexOf('flags') + 1] === 'slave').length : 0;
          if (healthy < replicas) throw new Error(`${s.name}: ${healthy} healthy replicas`);
        }
        return p;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      if (Date.now() > deadline) throw new SentinelRedisError(`not settled within ${timeoutMs} ms: ${last}`);
      await sleep(100);
    }
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.sentinels.map((s) => s.stop()));
    await Promise.allSettled(this.nodes.map((n) => n.stop()));
  }
}
