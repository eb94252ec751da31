/**
 * k8s/nats-cluster (the 3-node JetStream cluster) swapped in for base/nats.yaml the way k8s/README.md describes, in a
 * scratch copy of k8s/ and config/, then the sim overlay rendered and checked: every object against the Kubernetes
 * schemas, and what the cluster needs at run time (stable names for the routes, a store per node, the shared
 * configuration and passwords, a quorum kept through disruptions, 3 replicas asked of the services and the provisioning
 * Job). Each node must run exactly as base's single server does (the same security context, environment, probes,
 * loopback monitor and NetworkPolicies), which the test checks against the sim overlay rendered without the swap.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonical, listAt, objAt, pathAt, strAt, type Json, type JsonObject } from './lib/json';
import { nameOf, type K8sObject } from './lib/k8s-object';
import { schemaProblems } from './lib/k8s-schemas';
import { containersOf, podSpecOf } from './lib/kustomize/transformers';
import { natsUsers } from './lib/nats-conf';
import { allowed, type Peer } from './lib/network-policy';
import { ManifestWorkspace, render } from './lib/render';

const ws = new ManifestWorkspace();
let objects: K8sObject[] = [];
/** The sim overlay as shipped (base/nats.yaml, one server): what each node must match. */
let single: K8sObject[] = [];

beforeAll(() => {
  single = render(ws.overlay('sim')).objects;
  const file = join(ws.dir, 'k8s', 'base', 'kustomization.yaml');
  const text = readFileSync(file, 'utf8');
  const swapped = text.replace(/^ {2}- nats\.yaml$/m, '  - ../nats-cluster').replace(/^( {6}- ARB__HTTP__PORT=9100)$/m, '$1\n      - ARB__NATS__REPLICAS=3');
  expect(swapped).not.toBe(text);
  writeFileSync(file, swapped);
  objects = render(ws.overlay('sim')).objects;
});

afterAll(() => ws.close());

const findIn = (list: readonly K8sObject[], kind: string, name: string): K8sObject => {
  const o = list.find((x) => x.kind === kind && nameOf(x) === name);
  if (o === undefined) throw new Error(`no ${kind} ${name}`);
  return o;
};
const find = (kind: string, name: string): K8sObject => findIn(objects, kind, name);
const generated = (kind: string, logical: string): K8sObject | undefined => objects.find((x) => x.kind === kind && new RegExp(`^${logical}-[a-z0-9]{10}$`).test(nameOf(x)));
const container = (): JsonObject => containersOf(podSpecOf(find('StatefulSet', 'nats')))[0] as JsonObject;
const singleContainer = (): JsonObject => containersOf(podSpecOf(findIn(single, 'Deployment', 'nats')))[0] as JsonObject;
const same = (a: Json | undefined, b: Json | undefined): boolean => canonical(a ?? null) === canonical(b ?? null);
const args = (): string[] => (Array.isArray(container().args) ? (container().args as unknown[]).map(String) : []);
const arg = (flag: string): string | undefined => args()[args().indexOf(flag) + 1];

test('every rendered object is valid against the Kubernetes schemas', () => {
  const problems = objects.flatMap((o) => schemaProblems(o).map((p) => `${o.kind} ${nameOf(o)}: ${p}`));
  expect(problems).toEqual([]);
});

test('NATS runs as a 3-pod StatefulSet instead of the single Deployment and its volume', () => {
  expect(objects.some((o) => o.kind === 'Deployment' && nameOf(o) === 'nats')).toBe(false);
  expect(objects.some((o) => o.kind === 'PersistentVolumeClaim' && nameOf(o) === 'nats-data')).toBe(false);
  const sts = find('StatefulSet', 'nats');
  expect(objAt(sts, 'spec')?.replicas).toBe(3);
  expect(strAt(objAt(sts, 'spec'), 'podManagementPolicy')).toBe('Parallel');
  const claims = listAt(objAt(sts, 'spec') ?? {}, 'volumeClaimTemplates');
  expect(claims.map((c) => nameOf(c as K8sObject))).toEqual(['data']);
  expect(listAt(container(), 'volumeMounts').find((m) => m.name === 'data')?.mountPath).toBe('/data');
});

test('routes name every pod through the headless Service, which publishes pods before they are ready; the monitor stays on loopback', () => {
  const sts = find('StatefulSet', 'nats');
  const headless = strAt(objAt(sts, 'spec'), 'serviceName') ?? '';
  const svc = find('Service', headless);
  expect(objAt(svc, 'spec')?.clusterIP).toBe('None');
  expect(objAt(svc, 'spec')?.publishNotReadyAddresses).toBe(true);
  expect(listAt(objAt(svc, 'spec') ?? {}, 'ports').map((p) => p.port)).toEqual([4222, 6222]);
  const replicas = Number(objAt(sts, 'spec')?.replicas);
  const routes = String(arg('--routes')).split(',').map((r) => new URL(r));
  expect(routes.map((r) => r.hostname)).toEqual(Array.from({ length: replicas }, (_, i) => `nats-${i}.${headless}`));
  expect(routes.every((r) => r.port === '6222')).toBe(true);
  expect(arg('--cluster')).toBe('nats://0.0.0.0:6222');
  expect(arg('--cluster_name')).toBe('arb');
  expect(listAt(container(), 'ports').map((p) => p.containerPort)).toEqual([4222, 6222]);
  // The HTTP monitor has no authentication: nats.conf keeps it on the pod's loopback and no Service exposes it.
  expect(listAt(objAt(find('Service', 'nats'), 'spec') ?? {}, 'ports').map((p) => p.port)).toEqual([4222]);
  expect(args().some((a) => /^(-m|--http_port|-ms|--https_port)$/.test(a))).toBe(false);
});

test('each node is named after its pod (JetStream needs a stable server_name)', () => {
  expect(arg('--name')).toBe('$(POD_NAME)');
  const env = listAt(container(), 'env').find((e) => e.name === 'POD_NAME');
  expect(objAt(objAt(env ?? {}, 'valueFrom') ?? {}, 'fieldRef')?.fieldPath).toBe('metadata.name');
});

test("the cluster uses base's NATS configuration and every user's password from arb-nats", () => {
  const cm = generated('ConfigMap', 'nats-config');
  expect(cm).toBeDefined();
  const volume = listAt(podSpecOf(find('StatefulSet', 'nats')), 'volumes').find((v) => v.name === 'config');
  expect(objAt(volume ?? {}, 'configMap')?.name).toBe(nameOf(cm as K8sObject));
  expect(arg('-c')).toBe('/etc/nats/nats.conf');
  const secret = generated('Secret', 'arb-nats') as K8sObject;
  const env = new Map(listAt(container(), 'env').map((e) => [String(e.name), e]));
  const users = natsUsers(String(objAt(cm as K8sObject, 'data')?.['nats.conf'] ?? ''));
  expect(users.length).toBeGreaterThan(0);
  for (const u of users) {
    const ref = objAt(objAt(env.get(u.passwordVariable) ?? {}, 'valueFrom') ?? {}, 'secretKeyRef');
    expect([u.user, ref?.name, ref?.key]).toEqual([u.user, nameOf(secret), u.user]);
    expect(Object.keys(objAt(secret, 'data') ?? {})).toContain(u.user);
  }
});

test("each node runs as base's single server does: image, configuration, passwords, probes, unprivileged, read-only", () => {
  const node = container();
  const base = singleContainer();
  const pod = podSpecOf(find('StatefulSet', 'nats'));
  const basePod = podSpecOf(findIn(single, 'Deployment', 'nats'));
  expect(node.image).toBe(base.image);
  expect(args().slice(0, (base.args as Json[]).length)).toEqual(base.args);
  const env = listAt(node, 'env').filter((e) => e.name !== 'POD_NAME');
  expect(canonical(env)).toBe(canonical(listAt(base, 'env')));
  expect(same(node.securityContext, base.securityContext)).toBe(true);
  expect(same(pod?.securityContext, basePod?.securityContext)).toBe(true);
  expect(pod?.automountServiceAccountToken).toBe(false);
  expect(canonical(listAt(node, 'volumeMounts'))).toBe(canonical(listAt(base, 'volumeMounts')));
  for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
    expect([probe, pathAt(node, [probe, 'exec', 'command'])]).toEqual([probe, pathAt(base, [probe, 'exec', 'command'])]);
  }
  expect(same(node.resources, base.resources)).toBe(true);
});

test("NetworkPolicies: base's, unchanged, plus the routes between the NATS pods and nothing else on 6222", () => {
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  for (const p of single.filter((o) => o.kind === 'NetworkPolicy')) expect([nameOf(p), same(find('NetworkPolicy', nameOf(p)), p)]).toEqual([nameOf(p), true]);
  const pod = (kind: string, name: string): Peer => ({ kind: 'pod', name, labels: (pathAt(find(kind, name), ['spec', 'template', 'metadata', 'labels']) ?? {}) as Record<string, string> });
  const nats = pod('StatefulSet', 'nats');
  const prometheus: Peer = { kind: 'foreign-pod', labels: { 'app.kubernetes.io/name': 'prometheus' } };
  const flows: [Peer, Peer, number, boolean][] = [
    [nats, nats, 6222, true],
    ...(['feed-ingestor-binance', 'detector', 'stats'] as const).map((d): [Peer, Peer, number, boolean] => [pod('Deployment', d), nats, 4222, true]),
    [pod('StatefulSet', 'executor'), nats, 4222, true],
    [pod('Job', 'jetstream-provision'), nats, 4222, true],
    [pod('Deployment', 'detector'), nats, 6222, false],
    [pod('StatefulSet', 'executor'), nats, 6222, false],
    [pod('Deployment', 'stats'), nats, 8222, false],
    [prometheus, nats, 6222, false],
    [prometheus, nats, 8222, false],
    [nats, pod('Deployment', 'redis'), 6379, false],
    [nats, { kind: 'ip', ip: '52.84.150.34' }, 443, false],
  ];
  const wrong = flows.filter(([from, to, port, want]) => allowed(policies, { from, to, port }) !== want).map(([from, to, port, want]) => `${JSON.stringify(from)} → ${JSON.stringify(to)}:${port} should be ${want ? 'allowed' : 'denied'}`);
  expect(wrong).toEqual([]);
});

test('clients reach any node through the Service nats; a disruption budget keeps the quorum', () => {
  const sel = objAt(objAt(find('StatefulSet', 'nats'), 'spec') ?? {}, 'selector')?.matchLabels;
  expect(objAt(objAt(find('Service', 'nats'), 'spec') ?? {}, 'selector')).toEqual(sel);
  const pdb = find('PodDisruptionBudget', 'nats');
  expect(objAt(pdb, 'spec')?.maxUnavailable).toBe(1);
  expect(objAt(objAt(pdb, 'spec') ?? {}, 'selector')?.matchLabels).toEqual(sel);
});

test('the Job jetstream-provision, as the user provisioner, and the services are asked for 3 replicas of the streams and the config bucket', () => {
  const env = generated('ConfigMap', 'arb-env') as K8sObject;
  expect(objAt(env, 'data')?.ARB__NATS__REPLICAS).toBe('3');
  const job = containersOf(podSpecOf(find('Job', 'jetstream-provision')))[0] as JsonObject;
  expect(job.command).toEqual(['node', 'packages/cli/dist/main.js', 'provision']);
  expect(listAt(job, 'envFrom').map((e) => strAt(objAt(e, 'configMapRef'), 'name'))).toContain(nameOf(env));
  const jobEnv = new Map(listAt(job, 'env').map((e) => [String(e.name), e]));
  expect(jobEnv.get('ARB__NATS__URL')?.value).toBe('nats://provisioner:$(NATS_PASSWORD)@nats:4222');
  expect(pathAt(jobEnv.get('NATS_PASSWORD'), ['valueFrom', 'secretKeyRef', 'key'])).toBe('provisioner');
});
