/**
 * The Component k8s/scale-out added to the sim and live overlays the way its kustomization.yaml says, in a scratch
 * copy of k8s/ and config/, rendered and checked: every object against the Kubernetes schemas, the built-in renderer
 * against kubectl, base's feed-ingestor-<venue> replaced by feed-ingestor-<venue>-0 and -1 (base's pod but for the
 * partition and their own name label), each feed-ingestor's config, loaded through its own schema from the rendered
 * environment (arb-env and its env), serving disjoint symbols that cover every configured symbol per venue, the
 * detector as 2 replicas in dynamic mode with a rolling update, the executor's autoscaler from 3, and the shards under
 * the same NetworkPolicies as base's feed-ingestors (docker-compose.scale-out.yml: the same topology).
 */
import { canonical, listAt, objAt, pathAt, strAt, toJson, type Json, type JsonObject } from './lib/json';
import { nameOf, type K8sObject } from './lib/k8s-object';
import { schemaProblems } from './lib/k8s-schemas';
import { renderKustomization } from './lib/kustomize';
import { containersOf, podSpecOf } from './lib/kustomize/transformers';
import { allowed, type Peer } from './lib/network-policy';
import { findKubectl, ManifestWorkspace, render, renderWithKubectl } from './lib/render';
import { detectorPartitionOf, feedShardOf, shardProblems, withComponents, type Env } from './lib/scale-out';

const OVERLAYS = ['sim', 'live'] as const;
type Overlay = (typeof OVERLAYS)[number];
const VENUES = ['binance', 'coinbase'] as const;
const plain = new ManifestWorkspace();
const ws = new ManifestWorkspace();
const both = new ManifestWorkspace();
const rendered = {} as Record<Overlay, K8sObject[]>;
const shipped = {} as Record<Overlay, K8sObject[]>;
let withSentinel: K8sObject[] = [];

beforeAll(() => {
  for (const w of [plain, ws, both]) w.withSecrets('live');
  for (const o of OVERLAYS) {
    shipped[o] = render(plain.overlay(o)).objects;
    rendered[o] = render(withComponents(ws, o, ['scale-out'])).objects;
  }
  withSentinel = render(withComponents(both, 'sim', ['redis-sentinel', 'scale-out'])).objects;
});

afterAll(() => {
  for (const w of [plain, ws, both]) w.close();
});

const findIn = (list: readonly K8sObject[], kind: string, name: string): K8sObject => {
  const o = list.find((x) => x.kind === kind && nameOf(x) === name);
  if (o === undefined) throw new Error(`no ${kind} ${name}`);
  return o;
};
const same = (a: Json | undefined, b: Json | undefined): boolean => canonical(a ?? null) === canonical(b ?? null);
const labelsOf = (w: K8sObject): Record<string, string> => (pathAt(w, ['spec', 'template', 'metadata', 'labels']) ?? {}) as Record<string, string>;

/** A container's environment as the process sees it: its envFrom ConfigMaps, then its own literal `env` values. */
function containerEnv(objects: readonly K8sObject[], w: K8sObject): Env {
  const c = containersOf(podSpecOf(w))[0] as JsonObject;
  const env: Env = {};
  for (const from of listAt(c, 'envFrom')) {
    const cm = objects.find((o) => o.kind === 'ConfigMap' && nameOf(o) === strAt(objAt(from, 'configMapRef'), 'name'));
    if (cm === undefined) throw new Error(`${nameOf(w)}: envFrom ${JSON.stringify(from)} not rendered`);
    for (const [k, v] of Object.entries(objAt(cm, 'data') ?? {})) env[k] = String(v);
  }
  for (const e of listAt(c, 'env')) if (typeof e.value === 'string') env[String(e.name)] = e.value;
  return env;
}
const feedNames = VENUES.flatMap((v) => [`feed-ingestor-${v}-0`, `feed-ingestor-${v}-1`]);

describe.each(OVERLAYS)('%s overlay with k8s/scale-out', (overlay) => {
  const objects = (): K8sObject[] => rendered[overlay];
  const find = (kind: string, name: string): K8sObject => findIn(objects(), kind, name);

  test('the built-in renderer produces exactly what kubectl kustomize does (where kubectl is installed)', () => {
    const kubectl = findKubectl();
    const mine = renderKustomization(ws.overlay(overlay)).map((x) => canonical(toJson(x)));
    const reference = kubectl === undefined ? mine : renderWithKubectl(kubectl, ws.overlay(overlay)).map((x) => canonical(toJson(x)));
    expect(mine.sort()).toEqual(reference.sort());
    expect(mine.length).toBe(objects().length);
  });

  test('every rendered object is valid against the Kubernetes schemas', () => {
    const problems = objects().flatMap((o) => schemaProblems(o).map((p) => `${o.kind} ${nameOf(o)}: ${p}`));
    expect(problems).toEqual([]);
  });

  test("base's feed-ingestor-<venue> is replaced by shards -0 and -1: base's Deployment but for the name label and the partition", () => {
    const feeds = objects().filter((o) => o.kind === 'Deployment' && labelsOf(o)['app.kubernetes.io/component'] === 'feed-ingestor').map(nameOf);
    expect(feeds.sort()).toEqual([...feedNames].sort());
    for (const v of VENUES) {
      const base = toJson(findIn(shipped[overlay], 'Deployment', `feed-ingestor-${v}`)) as JsonObject;
      for (const i of [0, 1]) {
        const name = `feed-ingestor-${v}-${i}`;
        const shard = toJson(find('Deployment', name)) as JsonObject;
        // The selector and labels name the Deployment itself (no two Deployments select each other's pods).
        expect([name, pathAt(shard, ['spec', 'selector', 'matchLabels'])]).toEqual([name, { 'app.kubernetes.io/name': name }]);
        const c = containersOf(podSpecOf(shard as K8sObject))[0] as JsonObject;
        const partition = listAt(c, 'env').filter((e) => String(e.name).startsWith('ARB__FEED__PARTITION__'));
        expect([name, partition]).toEqual([name, [{ name: 'ARB__FEED__PARTITION__INDEX', value: String(i) }, { name: 'ARB__FEED__PARTITION__COUNT', value: '2' }]]);
        // Undo the differences (and arb-env's content hash: the component adds ARB_CONFIG_FILE): what is left must be
        // base's Deployment exactly.
        const unhash = (s: string): string => s.replace(/"arb-env-[a-z0-9]{10}"/g, '"arb-env"');
        const undone = JSON.parse(unhash(JSON.stringify(shard).replaceAll(`"${name}"`, `"feed-ingestor-${v}"`))) as JsonObject;
        const uc = containersOf(podSpecOf(undone as K8sObject))[0] as JsonObject;
        uc.env = listAt(uc, 'env').filter((e) => !String(e.name).startsWith('ARB__FEED__PARTITION__'));
        expect([name, same(undone, JSON.parse(unhash(JSON.stringify(base))) as Json)]).toEqual([name, true]);
      }
    }
  });

  test("each feed-ingestor's config, loaded through its schema from the rendered environment: per venue, disjoint shards covering every symbol", () => {
    const shards = feedNames.map((name) => feedShardOf(name, containerEnv(objects(), find('Deployment', name))));
    expect(shardProblems(shards)).toEqual([]);
    for (const s of shards) expect([s.where, s.venue, s.universe.length, s.symbols.length > 0]).toEqual([s.where, s.where.split('-')[2], 100, true]);
    // The check can fail: one shard per venue leaves symbols out.
    expect(shardProblems(shards.filter((s) => s.where.endsWith('-0'))).length).toBeGreaterThan(0);
  });

  test('the detector: 2 replicas in dynamic mode (through its schema), rolling update instead of Recreate; executor autoscaler from 3', () => {
    const detector = find('Deployment', 'detector');
    expect(detectorPartitionOf(containerEnv(objects(), detector)).mode).toBe('dynamic');
    expect(pathAt(detector, ['spec', 'replicas'])).toBe(2);
    expect(pathAt(detector, ['spec', 'strategy'])).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    // As shipped it is one static replica that must not overlap itself.
    const base = findIn(shipped[overlay], 'Deployment', 'detector');
    expect(detectorPartitionOf(containerEnv(shipped[overlay], base)).mode).toBe('static');
    expect(pathAt(base, ['spec', 'strategy', 'type'])).toBe('Recreate');
    expect(pathAt(find('HorizontalPodAutoscaler', 'executor'), ['spec', 'minReplicas'])).toBe(3);
    expect(pathAt(find('HorizontalPodAutoscaler', 'executor'), ['spec', 'maxReplicas'])).toBe(6);
  });

  test("NetworkPolicies unchanged; each shard may do exactly what base's feed-ingestor of its venue may", () => {
    const policies = objects().filter((o) => o.kind === 'NetworkPolicy');
    const before = shipped[overlay].filter((o) => o.kind === 'NetworkPolicy');
    expect(policies.map(nameOf).sort()).toEqual(before.map(nameOf).sort());
    for (const p of before) expect([nameOf(p), same(find('NetworkPolicy', nameOf(p)), p)]).toEqual([nameOf(p), true]);
    const pod = (list: readonly K8sObject[], name: string): Peer => {
      const w = list.find((x) => ['Deployment', 'StatefulSet', 'Job'].includes(x.kind) && nameOf(x) === name) as K8sObject;
      return { kind: 'pod', name, labels: labelsOf(w) };
    };
    const prometheus: Peer = { kind: 'foreign-pod', labels: { 'app.kubernetes.io/name': 'prometheus' } };
    const dns: Peer = { kind: 'foreign-pod', labels: { 'k8s-app': 'kube-dns' } };
    const targets: [string, number][] = [['nats', 4222], ['redis', 6379], ['stats', 9100], ['detector', 9100], ...(overlay === 'sim' ? ([['exchange-sim', 18081], ['exchange-sim', 18082]] as [string, number][]) : [])];
    const wrong: string[] = [];
    for (const v of VENUES) {
      const base = pod(shipped[overlay], `feed-ingestor-${v}`);
      for (const i of [0, 1]) {
        const shard = pod(objects(), `feed-ingestor-${v}-${i}`);
        const flows: [Peer, Peer, Peer, Peer, number, string][] = [
          ...targets.map(([t, port]): [Peer, Peer, Peer, Peer, number, string] => [shard, pod(objects(), t), base, pod(shipped[overlay], t), port, `→ ${t}`]),
          [shard, { kind: 'ip', ip: '52.84.150.34' }, base, { kind: 'ip', ip: '52.84.150.34' }, 443, '→ venue'],
          [shard, dns, base, dns, 53, '→ dns'],
          [prometheus, shard, prometheus, base, 9100, 'prometheus →'],
          [pod(objects(), 'detector'), shard, pod(shipped[overlay], 'detector'), base, 9100, 'detector →'],
        ];
        for (const [from, to, bFrom, bTo, port, what] of flows) {
          const protocol = port === 53 ? 'UDP' : 'TCP';
          const want = allowed(before, { from: bFrom, to: bTo, port, protocol });
          if (allowed(policies, { from, to, port, protocol }) !== want) wrong.push(`${shard.kind === 'pod' ? shard.name : ''} ${what}:${port} should be ${want ? 'allowed' : 'denied'}`);
        }
        // The flows that matter are allowed at all (the comparison above is not vacuous).
        expect(allowed(policies, { from: shard, to: pod(objects(), 'nats'), port: 4222 })).toBe(true);
      }
    }
    expect(wrong).toEqual([]);
  });
});

test('k8s/scale-out combines with k8s/redis-sentinel: valid objects, the shards and dynamic detectors, the detector on the Sentinels', () => {
  const problems = withSentinel.flatMap((o) => schemaProblems(o).map((p) => `${o.kind} ${nameOf(o)}: ${p}`));
  expect(problems).toEqual([]);
  const shards = feedNames.map((name) => feedShardOf(name, containerEnv(withSentinel, findIn(withSentinel, 'Deployment', name))));
  expect(shardProblems(shards)).toEqual([]);
  const detector = findIn(withSentinel, 'Deployment', 'detector');
  const env = containerEnv(withSentinel, detector);
  expect(detectorPartitionOf(env).mode).toBe('dynamic');
  expect(env.ARB__REDIS__SENTINEL__NODES).toMatch(/redis-sentinel-0/);
  expect(pathAt(detector, ['spec', 'replicas'])).toBe(2);
});
