import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBinary } from './binaries';
import { release, track, type Leftover } from './child-registry';
import { ServerStartError } from './errors';
import { freePort } from './free-port';
import { LocalProcess } from './local-process';
import { parseInfo, respCall, type RespValue } from './resp';
import { claimDir, sweepStaleDirs } from './stale-dirs';

const HOST = '127.0.0.1';

export interface RedisSentinelOptions {
  /** Replicas of the primary. Default 1. */
  replicas?: number;
  /** Sentinel processes (quorum: a majority). Default 3. */
  sentinels?: number;
  /** Master group name. Default `arb`. */
  name?: string;
  /** `sentinel down-after-milliseconds`. Default 5000. */
  downAfterMs?: number;
  /** `sentinel failover-timeout`. Default 60000. */
  failoverTimeoutMs?: number;
  /**
   * ACL users on the data nodes besides admin, replica and sentinel, `name → rules` (without password: each gets a
   * random one), e.g. the shipped executor user from k8s/base/redis/users.acl.
   */
  users?: Record<string, string>;
  /** `appendonly yes` on the data nodes. Default false. */
  appendonly?: boolean;
}

/** One redis-server (data node or Sentinel) of the set. Its port, dir and config survive kill/start. */
export interface RedisNodeHandle {
  /** `redis-0` (initial primary), `redis-1`, ...; `sentinel-0`, ... */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly pid: number | undefined;
  readonly running: boolean;
  /** SIGKILL (a crash: nothing flushed or handed over) and wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (SIGKILL after 5 s) and wait for the exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same config (rewritten by Sentinel since) and dir. */
  start(): Promise<void>;
}

export interface RedisSentinelHandle {
  /** Master group name (what clients pass as `name`). */
  readonly name: string;
  /** Data nodes; `nodes[0]` is the initial primary. */
  readonly nodes: readonly RedisNodeHandle[];
  readonly sentinels: readonly RedisNodeHandle[];
  /** `host:port` of every Sentinel (what `redis.sentinel.nodes` takes). */
  readonly sentinelNodes: readonly string[];
  /** The Sentinels' `requirepass` (clients: sentinelPassword). */
  readonly sentinelPassword: string;
  /** Password of a data-node ACL user (`admin`, `replica`, `sentinel` or one of `users`). */
  password(user: string): string;
  /** `redis://<user>:<password>@127.0.0.1:<initial primary port>`: the login for redis.url (host unused with Sentinel). */
  url(user: string): string;
  /** The data node the Sentinels name as primary (first Sentinel that answers), or undefined. */
  primary(): Promise<RedisNodeHandle | undefined>;
  /** Polls until the Sentinels name a primary other than `not` (a failover happened); resolves with it. */
  waitForPrimaryOtherThan(not: RedisNodeHandle, timeoutMs?: number): Promise<RedisNodeHandle>;
  /** Until the current primary reports `count` replicas online and every Sentinel knows them and the other Sentinels. */
  waitSettled(count?: number, timeoutMs?: number): Promise<void>;
  /** A raw command on a data node as `admin` (e.g. `['INFO', 'replication']`). */
  adminCall(node: RedisNodeHandle, command: readonly string[]): Promise<RespValue>;
  /** Stops every process and removes the dirs; safe to call twice. */
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const secret = (): string => randomBytes(18).toString('hex');

/** The rules Redis documents for a Sentinel user, and for replication. */
const SENTINEL_RULES = 'allchannels +multi +slaveof +ping +exec +subscribe +config|rewrite +role +publish +info +client|setname +client|kill +script|kill';
const REPLICA_RULES = '+psync +replconf +ping';

class Node implements RedisNodeHandle {
  private proc: LocalProcess;
  readonly host = HOST;

  constructor(
    readonly name: string,
    readonly port: number,
    binary: string,
    args: readonly string[],
    probe: () => Promise<unknown>,
  ) {
    this.proc = new LocalProcess({ name, binary, args, probe, readyTimeoutMs: 20_000, stopTimeoutMs: 5_000 });
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  get running(): boolean {
    return this.proc.pid !== undefined;
  }

  failedOnAddressInUse(): boolean {
    return this.proc.failedOnAddressInUse();
  }

  start(): Promise<void> {
    return this.proc.start();
  }

  kill(): Promise<void> {
    return this.proc.kill();
  }

  stop(): Promise<void> {
    return this.proc.stop();
  }
}

/**
 * A real Redis primary with `replicas` replicas and `sentinels` Sentinel processes (`redis-server --sentinel`) on free
 * ports of 127.0.0.1, authenticated like the shipped deployment: ACL users on the data nodes (the default user off;
 * replication as user `replica`, the Sentinels as user `sentinel`), `requirepass` on the Sentinels. Resolves once
 * replication is up and every Sentinel knows the replicas and the other Sentinels. Local binaries only.
 */
export async function startRedisSentinel(opts: RedisSentinelOptions = {}): Promise<RedisSentinelHandle> {
  sweepStaleDirs();
  const binary = requireBinary('redis-server');
  const name = opts.name ?? 'arb';
  const replicaCount = opts.replicas ?? 1;
  const sentinelCount = opts.sentinels ?? 3;
  const dir = await mkdtemp(join(tmpdir(), 'arb-testkit-sentinel-'));
  claimDir(dir);
  const passwords = new Map<string, string>([['admin', secret()], ['replica', secret()], ['sentinel', secret()]]);
  for (const user of Object.keys(opts.users ?? {})) passwords.set(user, secret());
  const sentinelPassword = secret();
  const pw = (user: string): string => {
    const p = passwords.get(user);
    if (p === undefined) throw new Error(`no Redis user ${user} in this Sentinel set`);
    return p;
  };
  const acl = [
    'user default off',
    `user admin on >${pw('admin')} ~* &* +@all`,
    `user replica on >${pw('replica')} ${REPLICA_RULES}`,
    `user sentinel on >${pw('sentinel')} ${SENTINEL_RULES}`,
    ...Object.entries(opts.users ?? {}).map(([user, rules]) => `user ${user} on >${pw(user)} ${rules}`),
  ];
  writeFileSync(join(dir, 'users.acl'), `${acl.join('\n')}\n`, { mode: 0o600 });

  const nodes: Node[] = [];
  const sentinels: Node[] = [];
  const leftovers: Leftover[] = [];
  const keep = (n: Node): void => {
    const l: Leftover = { pid: () => n.pid, dirs: [] };
    leftovers.push(l);
    track(l);
  };
  const dirs: Leftover = { pid: () => undefined, dirs: [dir] };
  leftovers.push(dirs);
  track(dirs);

  const adminCall = async (node: RedisNodeHandle, command: readonly string[]): Promise<RespValue> => {
    const replies = await respCall(node.host, node.port, [['AUTH', 'admin', pw('admin')], command]);
    return replies[1] ?? null;
  };
  const sentinelCall = async (node: RedisNodeHandle, command: readonly string[]): Promise<RespValue> => {
    const replies = await respCall(node.host, node.port, [['AUTH', sentinelPassword], command]);
    return replies[1] ?? null;
  };

  /** Starts a node on a free port, retrying with another port when one is lost to a race. */
  const launch = async (label: string, config: (port: number, nodeDir: string) => string[], probe: (port: number) => Promise<unknown>, sentinel: boolean): Promise<Node> => {
    const nodeDir = join(dir, label);
    mkdirSync(nodeDir, { recursive: true });
    for (let attempt = 1; ; attempt++) {
      const port = await freePort(HOST);
      const file = join(nodeDir, sentinel ? 'sentinel.conf' : 'redis.conf');
      writeFileSync(file, `${config(port, nodeDir).join('\n')}\n`, { mode: 0o600 });
      const node = new Node(label, port, binary, sentinel ? [file, '--sentinel'] : [file], () => probe(port));
      keep(node);
      try {
        await node.start();
        return node;
      } catch (error) {
        if (attempt >= 4 || !node.failedOnAddressInUse()) throw error;
      }
    }
  };

  const stopAll = async (): Promise<void> => {
    await Promise.allSettled(sentinels.map((s) => s.stop()));
    await Promise.allSettled(nodes.map((n) => n.stop()));
    for (const l of leftovers) release(l);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const dataConfig = (primaryPort: number | undefined) => (port: number, nodeDir: string): string[] => [
      `port ${port}`,
      `bind ${HOST}`,
      'protected-mode no',
      `dir ${nodeDir}`,
      'save ""',
      `appendonly ${opts.appendonly === true ? 'yes' : 'no'}`,
      `aclfile ${join(dir, 'users.acl')}`,
      // Every node may become a replica after a failover: all carry the replication login.
      'masteruser replica',
      `masterauth ${pw('replica')}`,
      ...(primaryPort === undefined ? [] : [`replicaof ${HOST} ${primaryPort}`]),
    ];
    const dataProbe = async (port: number): Promise<unknown> => respCall(HOST, port, [['AUTH', 'admin', pw('admin')], ['PING']], 1000);
    const primary = await launch('redis-0', dataConfig(undefined), dataProbe, false);
    nodes.push(primary);
    for (let i = 1; i <= replicaCount; i++) nodes.push(await launch(`redis-${i}`, dataConfig(primary.port), dataProbe, false));

    const quorum = Math.floor(sentinelCount / 2) + 1;
    const sentinelConfig = (port: number, nodeDir: string): string[] => [
      `port ${port}`,
      `bind ${HOST}`,
      'protected-mode no',
      `dir ${nodeDir}`,
      `requirepass ${sentinelPassword}`,
      `sentinel monitor ${name} ${HOST} ${primary.port} ${quorum}`,
      `sentinel auth-user ${name} sentinel`,
      `sentinel auth-pass ${name} ${pw('sentinel')}`,
      `sentinel down-after-milliseconds ${name} ${opts.downAfterMs ?? 5_000}`,
      `sentinel failover-timeout ${name} ${opts.failoverTimeoutMs ?? 60_000}`,
      `sentinel parallel-syncs ${name} 1`,
    ];
    const sentinelProbe = async (port: number): Promise<unknown> => respCall(HOST, port, [['AUTH', sentinelPassword], ['PING']], 1000);
    for (let i = 0; i < sentinelCount; i++) sentinels.push(await launch(`sentinel-${i}`, sentinelConfig, sentinelProbe, true));
  } catch (error) {
    await stopAll();
    throw error;
  }

  const primaryNow = async (): Promise<RedisNodeHandle | undefined> => {
    for (const s of sentinels) {
      if (!s.running) continue;
      try {
        const addr = await sentinelCall(s, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name]);
        if (!Array.isArray(addr)) continue;
        const port = Number(addr[1]);
        return nodes.find((n) => n.port === port);
      } catch {
        // next Sentinel
      }
    }
    return undefined;
  };

  const waitSettled = async (count = replicaCount, timeoutMs = 30_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    for (;;) {
      try {
        const p = await primaryNow();
        if (p === undefined) throw new Error('no primary named');
        const info = parseInfo(await adminCall(p, ['INFO', 'replication']));
        const online = [...info.entries()].filter(([k, v]) => /^slave[0-9]+$/.test(k) && v.includes('state=online')).length;
        if (info.get('role') !== 'master' || online < count) throw new Error(`${p.name}: role ${info.get('role') ?? '?'}, ${online} replicas online`);
        for (const s of sentinels.filter((x) => x.running)) {
          const m = await sentinelCall(s, ['SENTINEL', 'MASTER', name]);
          const fields = new Map<string, string>();
          if (Array.isArray(m)) for (let i = 0; i + 1 < m.length; i += 2) fields.set(String(m[i]), String(m[i + 1]));
          const others = Number(fields.get('num-other-sentinels') ?? '0');
          const port = Number(fields.get('port') ?? '0');
          const flags = fields.get('flags') ?? '';
          if (port !== p.port || flags !== 'master' || others < sentinels.length - 1) {
            throw new Error(`${s.name}: master port ${port} flags ${flags}, ${others} other sentinels`);
          }
          const replicas = await sentinelCall(s, ['SENTINEL', 'REPLICAS', name]);
          const ok = Array.isArray(replicas) ? replicas.filter((r) => Array.isArray(r) && /^slave$/.test(String(r[r.indexOf('flags') + 1]))).length : 0;
          if (ok < count) throw new Error(`${s.name}: knows ${ok} healthy replicas`);
        }
        return;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      if (Date.now() > deadline) throw new ServerStartError(`Redis Sentinel set not settled within ${timeoutMs} ms: ${last}`);
      await sleep(100);
    }
  };

  try {
    await waitSettled(replicaCount, 30_000);
  } catch (error) {
    await stopAll();
    throw error;
  }

  let stopped = false;
  return {
    name,
    nodes,
    sentinels,
    sentinelNodes: sentinels.map((s) => `${s.host}:${s.port}`),
    sentinelPassword,
    password: pw,
    url: (user) => `redis://${user}:${encodeURIComponent(pw(user))}@${HOST}:${(nodes[0] as Node).port}`,
    primary: primaryNow,
    async waitForPrimaryOtherThan(not, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const p = await primaryNow();
        if (p !== undefined && p !== not) return p;
        if (Date.now() > deadline) throw new Error(`the Sentinels still name ${not.name} primary after ${timeoutMs} ms`);
        await sleep(20);
      }
    },
    waitSettled,
    adminCall,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopAll();
    },
  };
}
