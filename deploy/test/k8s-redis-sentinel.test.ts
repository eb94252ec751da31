/**
 * The Component k8s/redis-sentinel added to the sim and live overlays the way k8s/README.md describes ("Redis
 * Sentinel"), in a scratch copy of k8s/ and config/, rendered and checked: every object against the Kubernetes schemas,
 * base's single server gone, the data nodes and Sentinels as StatefulSets with stable names, disruption budgets and the
 * hardening of base's Redis (compared with the overlay rendered without the component), passwords only as mounted
 * files or Secret references, the services pointed at the Sentinels, and the NetworkPolicies (the flows the topology
 * needs allowed, the rest denied). redis-sentinel.int.test.ts runs the rendered files in real processes.
 */
import { canonical, listAt, objAt, pathAt, strAt, toJson, type Json, type JsonObject } from './lib/json';
import { nameOf, type K8sObject } from './lib/k8s-object';
import { schemaProblems } from './lib/k8s-schemas';
import { containersOf, podSpecOf } from './lib/kustomize/transformers';
import { allowed, type Peer } from './lib/network-policy';
import { redisWiring } from './lib/acl-redis';
import { withRedisSentinel } from './lib/redis-sentinel-overlay';
import { renderKustomization } from './lib/kustomize';
import { findKubectl, ManifestWorkspace, render, renderWithKubectl } from './lib/render';

const OVERLAYS = ['sim', 'live'] as const;
type Overlay = (typeof OVERLAYS)[number];
const plain = new ManifestWorkspace();
const ws = new ManifestWorkspace();
const rendered = {} as Record<Overlay, K8sObject[]>;
/** The overlays as shipped (base's one server): what each node's hardening and the policies must match. */
const shipped = {} as Record<Overlay, K8sObject[]>;
const SENTINEL_NODES = [0, 1, 2].map((i) => `redis-sentinel-${i}.redis-sentinel:26379`);

beforeAll(() => {
  plain.withSecrets('live');
  ws.withSecrets('live');
  for (const o of OVERLAYS) {
    shipped[o] = render(plain.overlay(o)).objects;
    rendered[o] = render(withRedisSentinel(ws, o)).objects;
  }
});

afterAll(() => {
  plain.close();
  ws.close();
});

const findIn = (list: readonly K8sObject[], kind: string, name: string): K8sObject => {
  const o = list.find((x) => x.kind === kind && nameOf(x) === name);
  if (o === undefined) throw new Error(`no ${kind} ${name}`);
  return o;
};
const generatedIn = (list: readonly K8sObject[], kind: string, logical: string): K8sObject => {
  const o = list.find((x) => x.kind === kind && new RegExp(`^${logical}-[a-z0-9]{10}$`).test(nameOf(x)));
  if (o === undefined) throw new Error(`no generated ${kind} ${logical}`);
  return o;
};
const same = (a: Json | undefined, b: Json | undefined): boolean => canonical(a ?? null) === canonical(b ?? null);
const envOf = (c: JsonObject): Map<string, JsonObject> => new Map(listAt(c, 'env').map((e) => [String(e.name), e]));
const volumesOf = (pod: JsonObject | undefined): Map<string, JsonObject> => new Map(listAt(pod, 'volumes').map((v) => [String(v.name), v]));

describe.each(OVERLAYS)('%s overlay with k8s/redis-sentinel', (overlay) => {
  const objects = (): K8sObject[] => rendered[overlay];
  const find = (kind: string, name: string): K8sObject => findIn(objects(), kind, name);

  test('the built-in renderer (components, $patch: delete) produces exactly what kubectl kustomize does (where kubectl is installed)', () => {
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

  test("base's single server, its volume and its Service are gone; data nodes and Sentinels are 3-pod StatefulSets with headless Services and disruption budgets", () => {
    for (const [kind, name] of [['Deployment', 'redis'], ['PersistentVolumeClaim', 'redis-data'], ['Service', 'redis']]) {
      expect([kind, name, objects().some((o) => o.kind === kind && nameOf(o) === name)]).toEqual([kind, name, false]);
    }
    for (const [sts, port] of [['redis', 6379], ['redis-sentinel', 26379]] as const) {
      const spec = objAt(find('StatefulSet', sts), 'spec') ?? {};
      expect([sts, spec.replicas]).toEqual([sts, 3]);
      const svc = find('Service', String(spec.serviceName));
      expect([sts, pathAt(svc, ['spec', 'clusterIP']), pathAt(svc, ['spec', 'publishNotReadyAddresses'])]).toEqual([sts, 'None', true]);
      expect(listAt(objAt(svc, 'spec'), 'ports').map((p) => p.port)).toEqual([port]);
      expect(same(pathAt(svc, ['spec', 'selector']), pathAt(spec, ['selector', 'matchLabels']))).toBe(true);
      const pdb = find('PodDisruptionBudget', sts);
      expect([sts, pathAt(pdb, ['spec', 'maxUnavailable'])]).toEqual([sts, 1]);
      expect(same(pathAt(pdb, ['spec', 'selector', 'matchLabels']), pathAt(spec, ['selector', 'matchLabels']))).toBe(true);
    }
    // Each data node keeps its own append-only file.
    const claims = listAt(objAt(find('StatefulSet', 'redis'), 'spec'), 'volumeClaimTemplates');
    expect(claims.map((c) => nameOf(c as K8sObject))).toEqual(['data']);
    const server = listAt(podSpecOf(find('StatefulSet', 'redis')), 'containers')[0] as JsonObject;
    expect(listAt(server, 'volumeMounts').find((m) => m.name === 'data')?.mountPath).toBe('/data');
  });

  test("every container as hardened as base's Redis: its pod security context, non-root, read-only root, no capabilities, no token", () => {
    const basePod = podSpecOf(findIn(shipped[overlay], 'Deployment', 'redis'));
    const baseServer = containersOf(basePod)[0] as JsonObject;
    for (const sts of ['redis', 'redis-sentinel']) {
      const pod = podSpecOf(find('StatefulSet', sts));
      expect([sts, same(pod?.securityContext, basePod?.securityContext)]).toEqual([sts, true]);
      expect([sts, pod?.automountServiceAccountToken]).toEqual([sts, false]);
      for (const c of [...listAt(pod, 'initContainers'), ...listAt(pod, 'containers')]) {
        expect([sts, c.name, same(c.securityContext, baseServer.securityContext), c.image]).toEqual([sts, c.name, true, baseServer.image]);
        expect([sts, c.name, objAt(c, 'resources')?.limits !== undefined]).toEqual([sts, c.name, true]);
      }
    }
  });

  test('the init containers render with the shipped scripts from mounted password files; the servers read only the rendered files; no password on a command line', () => {
    const secret = generatedIn(objects(), 'Secret', 'arb-redis');
    const keys = Object.keys(objAt(secret, 'data') ?? {});
    expect(keys).toEqual(expect.arrayContaining(['admin', 'detector', 'executor', 'healthcheck', 'replication', 'sentinel', 'sentinels']));
    // Live: every Redis password is the overlay's (secrets/redis.env), none a placeholder of base or the component.
    const values = Object.entries(objAt(secret, 'data') ?? {}).map(([k, v]) => [k, Buffer.from(String(v), 'base64').toString('utf8')]);
    if (overlay === 'live') expect(values.filter(([, v]) => /change-me/.test(String(v)))).toEqual([]);
    const cases = [
      ['redis', ['sh', '/etc/redis-sentinel/redis-node.sh', '/etc/redis', '/etc/redis-sentinel', '/run/redis'], ['redis-server', '/run/redis/node.conf'], '/run/redis', 'redis-nodes'],
      ['redis-sentinel', ['sh', '/etc/redis-sentinel/sentinel.sh', '/etc/redis-sentinel', '/run/sentinel'], ['redis-server', '/run/sentinel/sentinel.conf', '--sentinel'], '/run/sentinel', 'redis-sentinel'],
    ] as const;
    for (const [sts, initCommand, command, run, headless] of cases) {
      const pod = podSpecOf(find('StatefulSet', sts));
      const volumes = volumesOf(pod);
      const init = listAt(pod, 'initContainers')[0] as JsonObject;
      const server = listAt(pod, 'containers')[0] as JsonObject;
      expect([sts, init.command, server.command, server.args]).toEqual([sts, initCommand, command, undefined]);
      const mount = (c: JsonObject, path: string): JsonObject | undefined => volumes.get(String(listAt(c, 'volumeMounts').find((m) => m.mountPath === path)?.name));
      // Rendered into a memory volume both containers share; passwords from arb-redis as files (0440).
      expect([sts, pathAt(mount(init, run), ['emptyDir', 'medium'])]).toEqual([sts, 'Memory']);
      expect(mount(init, run)).toBe(mount(server, run));
      expect([sts, pathAt(mount(init, '/run/secrets/redis'), ['secret', 'secretName']), pathAt(mount(init, '/run/secrets/redis'), ['secret', 'defaultMode'])]).toEqual([sts, nameOf(secret), 288]);
      const env = envOf(init);
      expect([sts, env.get('REDIS_PASSWORD_DIR')?.value]).toEqual([sts, '/run/secrets/redis']);
      expect([sts, env.get('REDIS_ANNOUNCE_HOST')?.value, env.get('REDIS_INITIAL_PRIMARY')?.value]).toEqual([sts, `$(POD_NAME).${headless}`, 'redis-0.redis-nodes:6379']);
      expect([sts, String(env.get('REDIS_SENTINELS')?.value).split(' ')]).toEqual([sts, SENTINEL_NODES]);
      expect(pathAt(env.get('POD_NAME'), ['valueFrom', 'fieldRef', 'fieldPath'])).toBe('metadata.name');
      // The server container sees one password: its probe's.
      const probeKeys = listAt(objAt(mount(server, '/run/secrets/redis'), 'secret'), 'items').map((i) => i.key);
      expect([sts, probeKeys]).toEqual([sts, [sts === 'redis' ? 'healthcheck' : 'sentinels']]);
      for (const c of [init, server]) {
        const argv = [...strings(c.command), ...strings(c.args), ...listAt(c, 'env').map((e) => String(e.value ?? ''))].join(' ');
        expect([sts, c.name, /change-me|test-|requirepass|masterauth/.test(argv)]).toEqual([sts, c.name, false]);
      }
      const probe = strings(pathAt(server, ['readinessProbe', 'exec', 'command']) as Json).join(' ');
      expect([sts, probe]).toEqual([sts, expect.stringMatching(/REDISCLI_AUTH="\$\(cat \/run\/secrets\/redis\/(healthcheck|sentinels)\)"/)]);
    }
    // The files the scripts read: base's redis-config and the component's own (with no password in either).
    const own = generatedIn(objects(), 'ConfigMap', 'redis-sentinel-config');
    expect(Object.keys(objAt(own, 'data') ?? {}).sort()).toEqual(['lib.sh', 'redis-node.sh', 'replication.acl', 'sentinel.conf', 'sentinel.sh']);
    const wiring = redisWiring(objects());
    for (const pw of Object.values(wiring.passwords)) expect(JSON.stringify(objAt(own, 'data'))).not.toContain(pw);
    expect(strAt(objAt(volumesOf(podSpecOf(find('StatefulSet', 'redis'))).get('config'), 'configMap'), 'name')).toBe(nameOf(generatedIn(objects(), 'ConfigMap', 'redis-config')));
  });

  test('the detector and the executor ask the three Sentinels (arb-env), with their password from arb-redis, and wait for one replica', () => {
    const env = generatedIn(objects(), 'ConfigMap', 'arb-env');
    expect(objAt(env, 'data')?.ARB__REDIS__SENTINEL__NODES).toBe(`[${SENTINEL_NODES.join(', ')}]`);
    expect(objAt(env, 'data')?.ARB__REDIS__SENTINEL__ACK_REPLICAS).toBe('1');
    const secret = generatedIn(objects(), 'Secret', 'arb-redis');
    for (const [kind, name] of [['Deployment', 'detector'], ['StatefulSet', 'executor']] as const) {
      const c = containersOf(podSpecOf(find(kind, name)))[0] as JsonObject;
      const e = envOf(c);
      expect([name, pathAt(e.get('ARB__REDIS__SENTINEL__PASSWORD'), ['valueFrom', 'secretKeyRef'])]).toEqual([name, { name: nameOf(secret), key: 'sentinels' }]);
      expect([name, e.get('ARB__REDIS__URL')?.value]).toEqual([name, `redis://${name}:$(REDIS_PASSWORD)@redis:6379`]);
      expect(listAt(c, 'envFrom').map((x) => strAt(objAt(x, 'configMapRef'), 'name'))).toContain(nameOf(env));
    }
    // No other workload gets the Sentinels' password.
    const holders = objects()
      .filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind))
      .filter((w) => containersOf(podSpecOf(w)).some((c) => envOf(c).has('ARB__REDIS__SENTINEL__PASSWORD')))
      .map(nameOf);
    expect(holders.sort()).toEqual(['detector', 'executor']);
  });

  test("NetworkPolicies: the overlay's unchanged, plus replication, Sentinels and their clients allowed, nothing else", () => {
    const policies = objects().filter((o) => o.kind === 'NetworkPolicy');
    for (const p of shipped[overlay].filter((o) => o.kind === 'NetworkPolicy')) expect([nameOf(p), same(find('NetworkPolicy', nameOf(p)), p)]).toEqual([nameOf(p), true]);
    const pod = (kind: string, name: string): Peer => ({ kind: 'pod', name, labels: (pathAt(find(kind, name), ['spec', 'template', 'metadata', 'labels']) ?? {}) as Record<string, string> });
    const redis = pod('StatefulSet', 'redis');
    const sentinel = pod('StatefulSet', 'redis-sentinel');
    const detector = pod('Deployment', 'detector');
    const executor = pod('StatefulSet', 'executor');
    const prometheus: Peer = { kind: 'foreign-pod', labels: { 'app.kubernetes.io/name': 'prometheus' } };
    const flows: [string, Peer, Peer, number, boolean][] = [
      ['replication', redis, redis, 6379, true],
      ['Sentinel → data node', sentinel, redis, 6379, true],
      ['Sentinel ↔ Sentinel', sentinel, sentinel, 26379, true],
      ['data node asks the Sentinels at start', redis, sentinel, 26379, true],
      ['detector → Sentinel', detector, sentinel, 26379, true],
      ['executor → Sentinel', executor, sentinel, 26379, true],
      ['detector → data node', detector, redis, 6379, true],
      ['executor → data node', executor, redis, 6379, true],
      ['stats → Sentinel', pod('Deployment', 'stats'), sentinel, 26379, false],
      ['stats → data node', pod('Deployment', 'stats'), redis, 6379, false],
      ['feed-ingestor → Sentinel', pod('Deployment', 'feed-ingestor-binance'), sentinel, 26379, false],
      ['NATS → Sentinel', pod('Deployment', 'nats'), sentinel, 26379, false],
      ['Prometheus → Sentinel', prometheus, sentinel, 26379, false],
      ['Sentinel → NATS', sentinel, pod('Deployment', 'nats'), 4222, false],
      ['data node → NATS', redis, pod('Deployment', 'nats'), 4222, false],
      ['Sentinel → internet', sentinel, { kind: 'ip', ip: '52.84.150.34' }, 443, false],
      ['data node → internet', redis, { kind: 'ip', ip: '52.84.150.34' }, 443, false],
      ['detector → Sentinel other port', detector, sentinel, 6379, false],
    ];
    const wrong = flows.filter(([, from, to, port, want]) => allowed(policies, { from, to, port }) !== want).map(([what, , , port, want]) => `${what}:${port} should be ${want ? 'allowed' : 'denied'}`);
    expect(wrong).toEqual([]);
  });
});

function strings(v: Json | undefined): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}
