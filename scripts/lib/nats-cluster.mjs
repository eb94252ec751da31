import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { which } from './bins.mjs';
import { Child } from './child.mjs';
import { probeNats, waitUntilReady } from './probes.mjs';

/** First ports of node 1; node i uses base + i - 1 (a taken one is replaced by a free one). */
export const CLUSTER_BASE_PORTS = Object.freeze({ cluster: 6222, monitor: 8222 });
export const CLUSTER_NAME = 'arb';
const HOST = '127.0.0.1';
// Node's built-in fetch (Node >= 18), named here for the linter's browser-less globals.
const { fetch, AbortSignal } = globalThis;

/** The nats.conf of one node: client, route and monitoring listeners on 127.0.0.1, JetStream store, routes to the others. */
export function clusterNodeConfig({ name, clusterName = CLUSTER_NAME, port, clusterPort, monitorPort, storeDir, routes }) {
  return [
    `server_name: "${name}"`,
    `listen: "${HOST}:${port}"`,
    `http: "${HOST}:${monitorPort}"`,
    `jetstream { store_dir: "${storeDir}" }`,
    'cluster {',
    `  name: "${clusterName}"`,
    `  listen: "${HOST}:${clusterPort}"`,
    `  routes: [${routes.map((p) => `"nats-route://${HOST}:${p}"`).join(', ')}]`,
    '}',
    '',
  ].join('\n');
}

/** Ports of `size` nodes: node i wants clientPort + i, 6222 + i and 8222 + i. `notes` names every moved port. */
export async function clusterPorts(size, clientPort, choosePort) {
  const nodes = [];
  const notes = [];
  const pick = async (what, name, wanted) => {
    const { port, moved } = await choosePort(wanted);
    if (moved) notes.push(`${name}: ${what} port ${wanted} is taken, using ${port}`);
    return port;
  };
  for (let i = 0; i < size; i++) {
    const name = `nats-${i + 1}`;
    nodes.push({
      name,
      port: await pick('client', name, clientPort + i),
      clusterPort: await pick('route', name, CLUSTER_BASE_PORTS.cluster + i),
      monitorPort: await pick('monitoring', name, CLUSTER_BASE_PORTS.monitor + i),
    });
  }
  return { nodes, notes };
}

async function getJson(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
  return { status: res.status, body: await res.json() };
}

/** Resolves when every node answers /healthz ok (JetStream current) and has a route to every other node. */
async function clusterFormed(nodes) {
  for (const n of nodes) {
    const health = await getJson(`http://${HOST}:${n.monitorPort}/healthz`);
    if (health.status !== 200) throw new Error(`${n.name}: /healthz ${JSON.stringify(health.body)}`);
    const routes = (await getJson(`http://${HOST}:${n.monitorPort}/routez`)).body.num_routes;
    if (routes < nodes.length - 1) throw new Error(`${n.name}: ${routes} of ${nodes.length - 1} routes up`);
  }
}

/**
 * Starts one local nats-server per node of `ports` (from clusterPorts) as a JetStream cluster: each with its config and
 * store under `<dataDir>/<name>/`, routes to every other node. Waits until the cluster has formed. Returns the nodes
 * ({ name, url, monitorPort, child, stop }) in order; on failure stops what it started and throws.
 */
export async function startNatsCluster({ ports, dataDir, outputFor, onStarted = () => undefined }) {
  const binary = which('nats-server');
  if (!binary) throw new Error('--nats-cluster runs local nats-server binaries, and none is installed (run `node scripts/setup.mjs`)');
  const nodes = [];
  try {
    for (const p of ports) {
      const dir = join(dataDir, p.name);
      mkdirSync(dir, { recursive: true });
      const conf = join(dir, 'nats.conf');
      const routes = ports.filter((o) => o !== p).map((o) => o.clusterPort);
      writeFileSync(conf, clusterNodeConfig({ ...p, storeDir: dir, routes }));
      const child = new Child(p.name, binary, ['-c', conf], { output: outputFor(p.name) });
      const node = { ...p, url: `nats://${HOST}:${p.port}`, dir, child, stop: (timeoutMs) => child.stop(timeoutMs) };
      nodes.push(node);
      onStarted(node);
    }
    for (const n of nodes) {
      await waitUntilReady(() => probeNats(HOST, n.port), {
        timeoutMs: 20_000,
        dead: () => (n.child.running ? undefined : `${n.name} exited during start-up (${n.child.exitDescription})`),
      });
    }
    await waitUntilReady(() => clusterFormed(nodes), {
      timeoutMs: 60_000,
      dead: () => nodes.filter((n) => !n.child.running).map((n) => `${n.name} exited during start-up (${n.child.exitDescription})`)[0],
    });
  } catch (error) {
    await Promise.all(nodes.map((n) => n.stop(2_000)));
    throw error;
  }
  return nodes;
}
