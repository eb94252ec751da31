/**
 * The kustomize overlays (k8s/overlays/sim, k8s/overlays/live) rendered and checked: every object against the
 * Kubernetes schemas (kubernetes-models), then what a cluster would only tell at run time (references that must
 * resolve, probes, ports, resources, NATS users and passwords, the venue keys). Rendering uses `kubectl kustomize`
 * when kubectl is installed, else the built-in renderer (deploy/test/lib/kustomize), which is checked here to produce
 * exactly kubectl's output whenever both exist.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { entryPointProblems } from './lib/entry-points';
import { canonical, listAt, objAt, pathAt, strAt, toJson, type JsonObject } from './lib/json';
import { idOf, nameOf, namespaceOf, type K8sObject } from './lib/k8s-object';
import { schemaProblems } from './lib/k8s-schemas';
import { renderKustomization } from './lib/kustomize';
import { containersOf, podSpecOf } from './lib/kustomize/transformers';
import { natsUsers } from './lib/nats-conf';
import { findKubectl, ManifestWorkspace, render, renderWithKubectl, ROOT } from './lib/render';

const OVERLAYS = ['sim', 'live'] as const;
type Overlay = (typeof OVERLAYS)[number];
const NAMESPACE: Record<Overlay, string> = { sim: 'arb-sim', live: 'arb-live' };
const WORKLOADS = new Set(['Deployment', 'StatefulSet']);
/** The arb services (image arb-system) and their NATS users; exchange-sim uses no NATS. */
const SERVICE_USERS: Record<string, string | null> = {
  'feed-ingestor-binance': 'feed-ingestor',
  'feed-ingestor-coinbase': 'feed-ingestor',
  detector: 'detector',
  executor: 'executor',
  stats: 'stats',
  'exchange-sim': null,
};
const LIVE_KEYS = ['BINANCE_API_KEY', 'BINANCE_API_SECRET', 'COINBASE_API_KEY_NAME', 'COINBASE_API_PRIVATE_KEY'];

const ws = new ManifestWorkspace();
const rendered = {} as Record<Overlay, { objects: K8sObject[]; renderer: string }>;

beforeAll(() => {
  ws.withSecrets('live');
  for (const o of OVERLAYS) rendered[o] = render(ws.overlay(o));
});

afterAll(() => ws.close());

const objects = (o: Overlay): K8sObject[] => rendered[o].objects;
const ofKind = (o: Overlay, kind: string): K8sObject[] => objects(o).filter((x) => x.kind === kind);
const find = (o: Overlay, kind: string, name: string): K8sObject | undefined => objects(o).find((x) => x.kind === kind && nameOf(x) === name);
const workloads = (o: Overlay): K8sObject[] => objects(o).filter((x) => WORKLOADS.has(x.kind));
const arbWorkloads = (o: Overlay): K8sObject[] => workloads(o).filter((w) => containersOf(podSpecOf(w)).some((c) => String(c.image).startsWith('arb-system')));
/** Name of the generated object a logical name (`arb-env`) became (`arb-env-<hash>`). */
const generated = (o: Overlay, kind: string, logical: string): K8sObject | undefined =>
  objects(o).find((x) => x.kind === kind && new RegExp(`^${logical}-[a-z0-9]{10}$`).test(nameOf(x)));
const decode = (s: K8sObject, key: string): string | undefined => {
  const v = objAt(s, 'data')?.[key];
  return typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : undefined;
};
const envOf = (c: JsonObject): Map<string, JsonObject> => new Map(listAt(c, 'env').map((e) => [String(e.name), e]));

describe('rendering', () => {
  test('both overlays render', () => {
    for (const o of OVERLAYS) expect(objects(o).length).toBeGreaterThan(15);
  });

  test('the live overlay does not build without its git-ignored secret files', () => {
    const bare = new ManifestWorkspace();
    try {
      expect(() => render(bare.overlay('live'))).toThrow(/secrets\/[a-z-]+\.(env|pem)/);
    } finally {
      bare.close();
    }
  });

  test('the built-in renderer produces exactly what kubectl kustomize does (where kubectl is installed)', () => {
    const kubectl = findKubectl();
    for (const dir of [join(ws.dir, 'k8s', 'base'), ws.overlay('sim'), ws.overlay('live')]) {
      const mine = renderKustomization(dir).map((x) => canonical(toJson(x)));
      const reference = kubectl === undefined ? mine : renderWithKubectl(kubectl, dir).map((x) => canonical(toJson(x)));
      expect(mine.sort()).toEqual(reference.sort());
    }
  });
});

describe.each(OVERLAYS)('%s overlay', (overlay) => {
  test('every object is valid against its Kubernetes schema', () => {
    expect(objects(overlay).flatMap(schemaProblems)).toEqual([]);
  });

  test('every object is in the overlay namespace, names are unique', () => {
    const ns = NAMESPACE[overlay];
    expect(find(overlay, 'Namespace', ns)).toBeDefined();
    for (const x of objects(overlay)) if (x.kind !== 'Namespace') expect([idOf(x), namespaceOf(x)]).toEqual([idOf(x), ns]);
    const ids = objects(overlay).map(idOf);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('everything a pod references exists: ConfigMaps, Secrets and their keys, PVCs, the ServiceAccount', () => {
    const problems: string[] = [];
    for (const w of workloads(overlay)) {
      const pod = podSpecOf(w);
      const sa = strAt(pod, 'serviceAccountName');
      if (sa !== undefined && find(overlay, 'ServiceAccount', sa) === undefined) problems.push(`${idOf(w)}: ServiceAccount ${sa} missing`);
      for (const v of listAt(pod, 'volumes')) {
        const cm = strAt(objAt(v, 'configMap'), 'name');
        if (cm !== undefined && find(overlay, 'ConfigMap', cm) === undefined) problems.push(`${idOf(w)}: ConfigMap ${cm} missing`);
        const pvc = strAt(objAt(v, 'persistentVolumeClaim'), 'claimName');
        if (pvc !== undefined && find(overlay, 'PersistentVolumeClaim', pvc) === undefined) problems.push(`${idOf(w)}: PVC ${pvc} missing`);
      }
      for (const c of containersOf(pod)) {
        for (const e of listAt(c, 'envFrom')) {
          const cm = strAt(objAt(e, 'configMapRef'), 'name');
          if (cm !== undefined && find(overlay, 'ConfigMap', cm) === undefined) problems.push(`${idOf(w)}: ConfigMap ${cm} missing`);
        }
        for (const e of listAt(c, 'env')) {
          const ref = objAt(objAt(e, 'valueFrom'), 'secretKeyRef');
          if (ref === undefined) continue;
          const secret = find(overlay, 'Secret', String(ref.name));
          if (secret === undefined) problems.push(`${idOf(w)}: Secret ${String(ref.name)} missing`);
          else if (decode(secret, String(ref.key)) === undefined) problems.push(`${idOf(w)}: Secret ${String(ref.name)} has no key ${String(ref.key)}`);
        }
        // $(VAR) in a value must name a variable defined before it (Kubernetes expands only those).
        const defined = new Set<string>();
        for (const e of listAt(c, 'env')) {
          for (const m of String(e.value ?? '').matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
            if (!defined.has(m[1] as string)) problems.push(`${idOf(w)}: env ${String(e.name)} uses $(${m[1]}) before it is defined`);
          }
          defined.add(String(e.name));
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('every Service selects a workload and targets ports its containers declare', () => {
    const problems: string[] = [];
    for (const svc of ofKind(overlay, 'Service')) {
      const selector = objAt(objAt(svc, 'spec'), 'selector') ?? {};
      const targets = workloads(overlay).filter((w) => {
        const labels = objAt(objAt(objAt(objAt(w, 'spec'), 'template'), 'metadata'), 'labels') ?? {};
        return Object.entries(selector).every(([k, v]) => labels[k] === v);
      });
      if (targets.length === 0) problems.push(`${idOf(svc)} selects no workload`);
      for (const p of listAt(objAt(svc, 'spec'), 'ports')) {
        for (const w of targets) {
          const ports = containersOf(podSpecOf(w)).flatMap((c) => listAt(c, 'ports'));
          if (!ports.some((cp) => cp.name === p.targetPort || cp.containerPort === p.targetPort)) problems.push(`${idOf(svc)} port ${String(p.name)} → ${String(p.targetPort)} not declared by ${idOf(w)}`);
        }
      }
    }
    // Selectors of workloads match their own pod labels (the API server rejects the object otherwise).
    for (const w of workloads(overlay)) {
      const sel = objAt(objAt(objAt(w, 'spec'), 'selector'), 'matchLabels') ?? {};
      const labels = objAt(objAt(objAt(objAt(w, 'spec'), 'template'), 'metadata'), 'labels') ?? {};
      if (!Object.entries(sel).every(([k, v]) => labels[k] === v)) problems.push(`${idOf(w)}: selector does not match its pod labels`);
    }
    expect(problems).toEqual([]);
  });

  test('every service container: existing entry point, probes on /healthz and /readyz, requests and limits, metrics annotations, hardened', () => {
    const env = generated(overlay, 'ConfigMap', 'arb-env');
    const httpPort = Number(objAt(env as K8sObject, 'data')?.ARB__HTTP__PORT);
    expect(httpPort).toBe(9100);
    const problems: string[] = [];
    for (const w of workloads(overlay)) {
      const pod = podSpecOf(w) as JsonObject;
      const annotations = objAt(objAt(objAt(objAt(w, 'spec'), 'template'), 'metadata'), 'annotations') ?? {};
      const isArb = arbWorkloads(overlay).includes(w);
      for (const c of containersOf(pod)) {
        const where = `${idOf(w)} container ${String(c.name)}`;
        const requests = objAt(objAt(c, 'resources'), 'requests');
        const limits = objAt(objAt(c, 'resources'), 'limits');
        for (const r of ['cpu', 'memory']) {
          if (requests?.[r] === undefined) problems.push(`${where}: no ${r} request`);
          if (limits?.[r] === undefined) problems.push(`${where}: no ${r} limit`);
        }
        if (!isArb) continue;
        problems.push(...entryPointProblems(Array.isArray(c.command) ? c.command : []).map((p) => `${where}: ${p}`));
        const ports = listAt(c, 'ports');
        const probePort = (probe: string): number | undefined => {
          const port = pathAt(c, [probe, 'httpGet', 'port']);
          const declared = ports.find((p) => p.name === port || p.containerPort === port);
          return typeof declared?.containerPort === 'number' ? declared.containerPort : undefined;
        };
        const expectedPort = nameOf(w) === 'exchange-sim' ? 18080 : httpPort;
        for (const [probe, path] of [['startupProbe', '/healthz'], ['livenessProbe', '/healthz'], ['readinessProbe', '/readyz']] as const) {
          if (pathAt(c, [probe, 'httpGet', 'path']) !== path) problems.push(`${where}: ${probe} is not GET ${path}`);
          if (probePort(probe) !== expectedPort) problems.push(`${where}: ${probe} does not hit declared port ${expectedPort}`);
        }
        if (annotations['prometheus.io/scrape'] !== 'true' || annotations['prometheus.io/port'] !== String(expectedPort) || annotations['prometheus.io/path'] !== '/metrics') {
          problems.push(`${where}: prometheus.io annotations do not point at :${expectedPort}/metrics`);
        }
        if (pathAt(pod, ['securityContext', 'runAsNonRoot']) !== true) problems.push(`${where}: not runAsNonRoot`);
        if (pathAt(c, ['securityContext', 'allowPrivilegeEscalation']) !== false) problems.push(`${where}: privilege escalation allowed`);
        if (pod.automountServiceAccountToken !== false) problems.push(`${where}: mounts a service account token`);
        // The configuration the repository tests, from the arb-config ConfigMap, is what the service loads.
        const configMount = listAt(c, 'volumeMounts').find((m) => m.mountPath === '/etc/arb/config');
        const configVolume = listAt(pod, 'volumes').find((v) => v.name === configMount?.name);
        if (!/^arb-config-/.test(strAt(objAt(configVolume, 'configMap'), 'name') ?? '')) problems.push(`${where}: arb-config not mounted at /etc/arb/config`);
        if (!listAt(c, 'envFrom').some((e) => /^arb-env-/.test(strAt(objAt(e, 'configMapRef'), 'name') ?? ''))) problems.push(`${where}: does not load arb-env`);
      }
    }
    expect(problems).toEqual([]);
    expect(objAt(env as K8sObject, 'data')?.ARB_CONFIG_DIR).toBe('/etc/arb/config');
    expect(objAt(env as K8sObject, 'data')?.ARB_MODE).toBe(overlay);
  });

  test('the services: a feed-ingestor per configured venue, detector, executor (StatefulSet, HPA from 2, PDB), stats', () => {
    const names = arbWorkloads(overlay).map(nameOf).sort();
    const expected = ['detector', 'executor', 'feed-ingestor-binance', 'feed-ingestor-coinbase', 'stats', ...(overlay === 'sim' ? ['exchange-sim'] : [])];
    expect(names).toEqual(expected.sort());

    const defaults = parse(readFileSync(join(ROOT, 'config', 'default.yaml'), 'utf8')) as JsonObject;
    for (const venue of Object.keys(objAt(defaults, 'venues') ?? {})) {
      const feed = find(overlay, 'Deployment', `feed-ingestor-${venue}`);
      expect(feed).toBeDefined();
      const c = containersOf(podSpecOf(feed as K8sObject))[0] as JsonObject;
      expect(envOf(c).get('VENUE')?.value).toBe(venue);
      expect(pathAt(feed, ['spec', 'replicas'])).toBe(1);
    }

    const executor = find(overlay, 'StatefulSet', 'executor') as K8sObject;
    const hpa = find(overlay, 'HorizontalPodAutoscaler', 'executor') as K8sObject;
    expect(pathAt(hpa, ['spec', 'scaleTargetRef'])).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'executor' });
    expect(Number(pathAt(hpa, ['spec', 'minReplicas']))).toBeGreaterThanOrEqual(2);
    expect(Number(pathAt(hpa, ['spec', 'maxReplicas']))).toBeGreaterThan(Number(pathAt(hpa, ['spec', 'minReplicas'])));
    // The HPA owns the replica count: a fixed value in the manifest would reset it on every apply.
    expect(pathAt(executor, ['spec', 'replicas'])).toBeUndefined();
    // The executor id is the pod name (stable in a StatefulSet): a restarted replica reclaims its own trades.
    const ec = containersOf(podSpecOf(executor))[0] as JsonObject;
    expect(pathAt(envOf(ec).get('ARB__EXECUTOR__ID'), ['valueFrom', 'fieldRef', 'fieldPath'])).toBe('metadata.name');
    const pdb = find(overlay, 'PodDisruptionBudget', 'executor');
    expect(pathAt(pdb, ['spec', 'selector', 'matchLabels'])).toEqual(pathAt(executor, ['spec', 'selector', 'matchLabels']));

    expect(find(overlay, 'Service', 'stats')).toBeDefined();
    expect(find(overlay, 'Deployment', 'exchange-sim') !== undefined).toBe(overlay === 'sim');
  });

  test("NATS: each service connects as its own user, with that user's password, and the server knows every user", () => {
    const conf = decodeConfigMap(overlay, 'nats-config', 'nats.conf');
    const users = natsUsers(conf);
    const secret = generated(overlay, 'Secret', 'arb-nats') as K8sObject;
    const nats = find(overlay, 'Deployment', 'nats') as K8sObject;
    const serverEnv = envOf(containersOf(podSpecOf(nats))[0] as JsonObject);
    // Every user's password variable is set from the key of that user in arb-nats.
    for (const u of users) {
      const ref = pathAt(serverEnv.get(u.passwordVariable), ['valueFrom', 'secretKeyRef']);
      expect([u.user, ref]).toEqual([u.user, { name: nameOf(secret), key: u.user }]);
      expect(decode(secret, u.user)).toMatch(/^[A-Za-z0-9._~-]{8,}$/);
    }
    expect(users.map((u) => u.user).sort()).toEqual(['admin', 'detector', 'executor', 'feed-ingestor', 'stats']);
    for (const w of arbWorkloads(overlay)) {
      const user = SERVICE_USERS[nameOf(w)];
      const env = envOf(containersOf(podSpecOf(w))[0] as JsonObject);
      if (user === null || user === undefined) {
        expect([nameOf(w), env.has('ARB__NATS__URL')]).toEqual([nameOf(w), false]);
        continue;
      }
      expect([nameOf(w), env.get('ARB__NATS__URL')?.value]).toEqual([nameOf(w), `nats://${user}:$(NATS_PASSWORD)@nats:4222`]);
      expect([nameOf(w), pathAt(env.get('NATS_PASSWORD'), ['valueFrom', 'secretKeyRef'])]).toEqual([nameOf(w), { name: nameOf(secret), key: user }]);
    }
  });

  test('Redis: the server and its clients use the password of arb-redis', () => {
    const secret = generated(overlay, 'Secret', 'arb-redis') as K8sObject;
    const redis = find(overlay, 'Deployment', 'redis') as K8sObject;
    const rc = containersOf(podSpecOf(redis))[0] as JsonObject;
    expect(JSON.stringify(rc.command)).toContain('--requirepass');
    expect(pathAt(envOf(rc).get('REDIS_PASSWORD'), ['valueFrom', 'secretKeyRef'])).toEqual({ name: nameOf(secret), key: 'password' });
    for (const w of arbWorkloads(overlay)) {
      const env = envOf(containersOf(podSpecOf(w))[0] as JsonObject);
      if (!env.has('ARB__REDIS__URL')) continue;
      expect(env.get('ARB__REDIS__URL')?.value).toBe('redis://:$(REDIS_PASSWORD)@redis:6379');
      expect(pathAt(env.get('REDIS_PASSWORD'), ['valueFrom', 'secretKeyRef'])).toEqual({ name: nameOf(secret), key: 'password' });
    }
    // detector (book mirror) and executor (coordination) need Redis.
    for (const name of ['detector', 'executor']) {
      const w = arbWorkloads(overlay).find((x) => nameOf(x) === name) as K8sObject;
      expect(envOf(containersOf(podSpecOf(w))[0] as JsonObject).has('ARB__REDIS__URL')).toBe(true);
    }
  });

  test('arb-config holds config/*.yaml byte for byte, and config/kustomization.yaml lists every one of them', () => {
    const files = readdirSync(join(ROOT, 'config')).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    const cm = generated(overlay, 'ConfigMap', 'arb-config') as K8sObject;
    expect(Object.keys(objAt(cm, 'data') ?? {}).sort()).toEqual(files.sort());
    for (const f of files) expect([f, objAt(cm, 'data')?.[f]]).toEqual([f, readFileSync(join(ROOT, 'config', f), 'utf8')]);
  });
});

test('sim: the venues are the exchange-sim Service, on the ports exchange-sim listens on', () => {
  const env = objAt(generated('sim', 'ConfigMap', 'arb-env') as K8sObject, 'data') ?? {};
  const sim = find('sim', 'Deployment', 'exchange-sim') as K8sObject;
  const simEnv = envOf(containersOf(podSpecOf(sim))[0] as JsonObject);
  expect(simEnv.get('ARB__SIM__HOST')?.value).toBe('0.0.0.0');
  const svcPorts = listAt(objAt(find('sim', 'Service', 'exchange-sim'), 'spec'), 'ports');
  for (const venue of ['binance', 'coinbase']) {
    const V = venue.toUpperCase();
    const port = Number(simEnv.get(`ARB__SIM__VENUES__${V}__PORT`)?.value);
    expect(svcPorts.some((p) => p.port === port)).toBe(true);
    expect(env[`ARB__VENUES__${V}__WS_URL`]).toBe(`ws://exchange-sim:${port}`);
    expect(env[`ARB__VENUES__${V}__REST_URL`]).toBe(`http://exchange-sim:${port}`);
  }
  expect(Number(simEnv.get('ARB__SIM__CONTROL__PORT')?.value)).toBe(18080);
});

test('live: the executor (only) gets the four venue credentials from arb-venue-keys; no placeholder secret is left', () => {
  const keys = generated('live', 'Secret', 'arb-venue-keys') as K8sObject;
  for (const w of arbWorkloads('live')) {
    const env = envOf(containersOf(podSpecOf(w))[0] as JsonObject);
    for (const k of LIVE_KEYS) {
      if (nameOf(w) === 'executor') expect([k, pathAt(env.get(k), ['valueFrom', 'secretKeyRef'])]).toEqual([k, { name: nameOf(keys), key: k }]);
      else expect([nameOf(w), k, env.has(k)]).toEqual([nameOf(w), k, false]);
    }
  }
  expect(decode(keys, 'COINBASE_API_PRIVATE_KEY')).toContain('-----BEGIN EC PRIVATE KEY-----\n');
  for (const s of ofKind('live', 'Secret')) {
    for (const key of Object.keys(objAt(s, 'data') ?? {})) expect([nameOf(s), key, decode(s, key)]).not.toEqual([nameOf(s), key, expect.stringContaining('change-me')]);
  }
  expect(containersOf(podSpecOf(find('live', 'StatefulSet', 'executor') as K8sObject))[0]?.image).toMatch(/^arb-system:\d+\.\d+\.\d+$/);
});

function decodeConfigMap(overlay: Overlay, logical: string, key: string): string {
  const cm = generated(overlay, 'ConfigMap', logical);
  const v = objAt(cm, 'data')?.[key];
  if (typeof v !== 'string') throw new Error(`${logical} has no ${key}`);
  return v;
}
