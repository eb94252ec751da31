import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBinary } from './binaries';
import { track, release, type Leftover } from './child-registry';
import { ServerStartError } from './errors';
import { freePort } from './free-port';
import { LocalProcess } from './local-process';
import { natsRequest } from './nats-request';
import { NatsNode } from './nats-node';
import { probeNats } from './probes';
import { claimDir, sweepStaleDirs } from './stale-dirs';
import { TcpProxy } from './tcp-proxy';
import type { NatsClusterHandle, NatsClusterOptions, NatsNodeHandle, RaftGroupInfo, ReplicaInfo } from './types';

const HOST = '127.0.0.1';
/** Layouts tried when a picked port was taken before the server bound it. */
const START_ATTEMPTS = 3;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The nats-server configuration of one node: its ports, its store, and routes to the others through `routePorts`.
 * `advertisePort` is what the node tells the others to dial for it (route gossip): a listener that closes every
 * connection, so that no node ever opens a direct route that bypasses the cuttable proxies.
 */
export function nodeConfig(o: {
  name: string;
  cluster: string;
  port: number;
  clusterPort: number;
  monitorPort: number;
  storeDir: string;
  routePorts: readonly number[];
  advertisePort: number;
}): string {
  const routes = o.routePorts.map((p) => `"nats-route://${HOST}:${p}"`).join(', ');
  return [
    `server_name: "${o.name}"`,
    `listen: "${HOST}:${o.port}"`,
    `http: "${HOST}:${o.monitorPort}"`,
    `jetstream { store_dir: "${o.storeDir}" }`,
    'cluster {',
    `  name: "${o.cluster}"`,
    `  listen: "${HOST}:${o.clusterPort}"`,
    `  advertise: "${HOST}:${o.advertisePort}"`,
    `  routes: [${routes}]`,
    '}',
    '',
  ].join('\n');
}

async function getJson(url: string, timeoutMs: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/**
 * `size` nats-server processes with JetStream on 127.0.0.1, forming one cluster. Every route between two nodes runs
 * through its own TCP proxy (node i dials node j through proxy i→j), so a test can split the network without root:
 * `node.isolate()` cuts the proxies on all of that node's links. Local binaries only.
 */
export async function startLocalNatsCluster(opts: NatsClusterOptions = {}): Promise<NatsClusterHandle> {
  const size = opts.size ?? 3;
  if (!Number.isInteger(size) || size < 1 || size > 5) throw new ServerStartError(`a NATS cluster has 1..5 nodes (got ${size})`);
  const clusterName = opts.name ?? 'arb-test';
  const binary = requireBinary('nats-server');
  sweepStaleDirs();
  const dir = await mkdtemp(join(tmpdir(), 'arb-testkit-nats-cluster-'));
  claimDir(dir);

  const nodes: NatsNode[] = [];
  const proxies: TcpProxy[] = [];
  const leftovers: Leftover[] = [];
  let stopped = false;

  const stopAll = async (): Promise<void> => {
    await Promise.allSettled(nodes.map((n) => n.stop()));
    await Promise.allSettled(proxies.map((p) => p.close()));
    for (const l of leftovers) release(l);
    await rm(dir, { recursive: true, force: true });
  };

  // Ports are picked free and bound by the servers a moment later: a parallel process can take one in between (seen in
  // a loaded npm test: "Error listening on router port ...: address already in use", and the server exits). Then the
  // whole cluster is laid out again on fresh ports, in fresh directories.
  const teardown = async (): Promise<void> => {
    await Promise.allSettled(nodes.map((n) => n.stop()));
    await Promise.allSettled(proxies.map((p) => p.close()));
    for (const l of leftovers) release(l);
    nodes.length = 0;
    proxies.length = 0;
    leftovers.length = 0;
  };
  for (let attempt = 1; ; attempt++) {
    try {
      const ports = [];
      for (let i = 0; i < size; i++) ports.push({ port: await freePort(HOST), clusterPort: await freePort(HOST), monitorPort: await freePort(HOST) });
      // links[i][j]: the proxy node i dials to reach node j
      const links: (TcpProxy | undefined)[][] = [];
      for (let i = 0; i < size; i++) {
        const row: (TcpProxy | undefined)[] = [];
        for (let j = 0; j < size; j++) {
          const target = ports[j];
          if (i === j || target === undefined) {
            row.push(undefined);
            continue;
          }
          const proxy = await TcpProxy.start({ host: HOST, port: target.clusterPort });
          proxies.push(proxy);
          row.push(proxy);
        }
        links.push(row);
      }
      for (let i = 0; i < size; i++) {
        const p = ports[i];
        if (p === undefined) continue;
        const name = `n${i + 1}`;
        const nodeDir = attempt === 1 ? join(dir, name) : join(dir, `retry-${attempt}`, name);
        const storeDir = join(nodeDir, 'store');
        mkdirSync(storeDir, { recursive: true });
        const routePorts = (links[i] ?? []).filter((x): x is TcpProxy => x !== undefined).map((x) => x.port);
        const sink = await TcpProxy.start({ host: HOST, port: p.clusterPort });
        sink.cut('reset');
        proxies.push(sink);
        const confFile = join(nodeDir, 'nats.conf');
        writeFileSync(confFile, nodeConfig({ name, cluster: clusterName, ...p, storeDir, routePorts, advertisePort: sink.port }));
        const myLinks = proxies.filter((x) => x !== sink && (x.target.port === p.clusterPort || (links[i] ?? []).includes(x)));
        const node = new NatsNode({
          name,
          host: HOST,
          ...p,
          storeDir,
          links: myLinks,
          makeProcess: () =>
            new LocalProcess({
              name: `nats-server ${name}`,
              binary,
              args: ['-c', confFile],
              probe: () => probeNats(HOST, p.port, 1000, { ping: false }),
              readyTimeoutMs: 20_000,
              stopTimeoutMs: 5_000,
            }),
        });
        nodes.push(node);
        const leftover: Leftover = { pid: () => node.pid, dirs: i === 0 ? [dir] : [] };
        track(leftover);
        leftovers.push(leftover);
      }
      await Promise.all(nodes.map((n) => n.start()));
      break;
    } catch (error) {
      await teardown();
      const inUse = /address already in use|EADDRINUSE/i.test(error instanceof Error ? error.message : String(error));
      if (attempt < START_ATTEMPTS && inUse) continue;
      await stopAll();
      throw error;
    }
  }

  const byName = (name: string): NatsNode => {
    const n = nodes.find((x) => x.name === name);
    if (n === undefined) throw new Error(`no node ${name} in cluster ${clusterName} (nodes: ${nodes.map((x) => x.name).join(', ')})`);
    return n;
  };

  /**
   * Nodes to ask now: running, not paused, and not cut off while any other is connected (a node in the minority of a
   * split answers from its stale view: it may still call itself the leader).
   */
  const answering = (): NatsNode[] => {
    const up = nodes.filter((n) => n.running && !n.paused);
    const connected = up.filter((n) => !n.isolated);
    return connected.length > 0 ? connected : up;
  };

  const jsApi = async (api: string, body: unknown = '', timeoutMs = 2000): Promise<Record<string, unknown>> => {
    let lastError: unknown = new Error('no running node');
    for (const n of answering()) {
      try {
        const text = await natsRequest(n.host, n.port, `$JS.API.${api}`, typeof body === 'string' ? body : JSON.stringify(body), timeoutMs);
        return JSON.parse(text) as Record<string, unknown>;
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  };

  const raftGroup = async (stream: string, consumer?: string): Promise<RaftGroupInfo> => {
    const info = await jsApi(consumer === undefined ? `STREAM.INFO.${stream}` : `CONSUMER.INFO.${stream}.${consumer}`);
    const error = info['error'] as { description?: string } | undefined;
    if (error !== undefined) throw new Error(`${consumer === undefined ? stream : `${stream}/${consumer}`}: ${error.description ?? JSON.stringify(error)}`);
    const cluster = (info['cluster'] ?? {}) as { leader?: string; replicas?: ReplicaInfo[] };
    return { leader: cluster.leader === '' ? undefined : cluster.leader, replicas: cluster.replicas ?? [] };
  };

  const streamLeader = async (stream: string, consumer?: string): Promise<NatsNodeHandle | undefined> => {
    const { leader } = await raftGroup(stream, consumer);
    return leader === undefined ? undefined : byName(leader);
  };

  const waitLeader = async (what: string, pick: () => Promise<NatsNodeHandle | undefined>, ok: (n: NatsNodeHandle) => boolean, timeoutMs: number): Promise<NatsNodeHandle> => {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        const n = await pick();
        if (n !== undefined && ok(n)) return n;
        last = n?.name;
      } catch (error) {
        last = error;
      }
      await sleep(100);
    }
    throw new Error(`${what}: not within ${timeoutMs} ms (last: ${last instanceof Error ? last.message : String(last)})`);
  };

  const stepDown = async (stream: string, consumer?: string, timeoutMs = 15_000): Promise<NatsNodeHandle> => {
    const before = await streamLeader(stream, consumer);
    const api = consumer === undefined ? `STREAM.LEADER.STEPDOWN.${stream}` : `CONSUMER.LEADER.STEPDOWN.${stream}.${consumer}`;
    const answer = await jsApi(api, '', 5000);
    if (answer['error'] !== undefined) throw new Error(`${api}: ${JSON.stringify(answer['error'])}`);
    return waitLeader(`a new leader of ${api.slice(api.indexOf('.', 7) + 1)}`, () => streamLeader(stream, consumer), (n) => n !== before, timeoutMs);
  };

  const handle: NatsClusterHandle = {
    name: clusterName,
    nodes,
    urls: nodes.map((n) => n.url),
    url: nodes.map((n) => n.url).join(','),
    node: byName,
    jsApi,
    raftGroup,
    streamLeader,
    async metaLeader() {
      for (const n of answering()) {
        try {
          const { body } = await getJson(`http://${HOST}:${n.monitorPort}/jsz`, 1000);
          const leader = (body['meta_cluster'] as { leader?: string } | undefined)?.leader;
          if (leader !== undefined && leader !== '') return byName(leader);
        } catch {
          // next node
        }
      }
      return undefined;
    },
    async waitForLeader(stream, consumer, timeoutMs = 30_000) {
      const current = async (): Promise<NatsNodeHandle | undefined> => {
        const g = await raftGroup(stream, consumer);
        return g.leader !== undefined && g.replicas.every((r) => r.current) ? byName(g.leader) : undefined;
      };
      return waitLeader(`a leader of ${stream}${consumer === undefined ? '' : `/${consumer}`} with current replicas`, current, () => true, timeoutMs);
    },
    async clients() {
      const out: { node: string; name: string }[] = [];
      for (const n of answering()) {
        const { body } = await getJson(`http://${HOST}:${n.monitorPort}/connz?limit=4096`, 2000);
        for (const c of (body['connections'] ?? []) as { name?: string }[]) out.push({ node: n.name, name: c.name ?? '' });
      }
      return out;
    },
    async storedOn(node, stream) {
      const { body } = await getJson(`http://${HOST}:${node.monitorPort}/jsz?streams=true`, 2000);
      const details = ((body['account_details'] ?? []) as { stream_detail?: { name: string; state: { messages: number; last_seq: number } }[] }[]).flatMap((a) => a.stream_detail ?? []);
      const s = details.find((d) => d.name === stream);
      return s === undefined ? undefined : { messages: s.state.messages, lastSeq: s.state.last_seq };
    },
    stepDown,
    async moveLeader(node, stream, consumer, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const leader = await waitLeader(`a leader of ${stream}${consumer === undefined ? '' : `/${consumer}`}`, () => streamLeader(stream, consumer), () => true, Math.max(1000, deadline - Date.now()));
        if (leader === node) return;
        if (Date.now() > deadline) throw new Error(`could not move the leader of ${stream}${consumer === undefined ? '' : `/${consumer}`} to ${node.name} within ${timeoutMs} ms`);
        await stepDown(stream, consumer, Math.max(1000, deadline - Date.now())).catch(() => undefined);
      }
    },
    async waitHealthy(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let problem = '';
      while (Date.now() < deadline) {
        problem = '';
        const up = nodes.filter((n) => n.running && !n.paused);
        const connected = up.filter((n) => !n.isolated);
        for (const n of up) {
          try {
            const health = await getJson(`http://${HOST}:${n.monitorPort}/healthz`, 1000);
            if (health.status !== 200) problem = `${n.name} /healthz ${health.status} ${JSON.stringify(health.body)}`;
            else if (!n.isolated) {
              const routes = Number((await getJson(`http://${HOST}:${n.monitorPort}/routez`, 1000)).body['num_routes'] ?? 0);
              if (routes < connected.length - 1) problem = `${n.name} has ${routes} of ${connected.length - 1} routes`;
            }
          } catch (error) {
            problem = `${n.name}: ${error instanceof Error ? error.message : String(error)}`;
          }
          if (problem !== '') break;
        }
        if (problem === '') return;
        await sleep(100);
      }
      throw new ServerStartError(`NATS cluster ${clusterName} not healthy within ${timeoutMs} ms: ${problem}`);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopAll();
    },
  };
  try {
    await handle.waitHealthy(60_000);
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return handle;
}
