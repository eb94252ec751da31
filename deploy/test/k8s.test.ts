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
import { allowed, type Peer } from './lib/network-policy';
import { findKubectl, ManifestWorkspace, render, renderWithKubectl, ROOT } from './lib/render';

const OVERLAYS = ['sim', 'live'] as const;
type Overlay = (typeof OVERLAYS)[number];
const NAMESPACE: Record<Overlay, string> = { sim: 'arb-sim', live: 'arb-live' };
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'Job']);
const SERVICES = new Set(['Deployment', 'StatefulSet']);
/** The arb workloads (image arb-system) and their NATS users; exchange-sim uses no NATS. */
const SERVICE_USERS: Record<string, string | null> = {
  'feed-ingestor-binance': 'feed-binance',
  'feed-ingestor-coinbase': 'feed-coinbase',
  detector: 'detector',
  executor: 'executor',
  stats: 'stats',
  'jetstream-provision': 'provisioner',
  'exchange-sim': null,
};
/** Redis ACL users of the workloads that use Redis. */
const REDIS_USERS: Record<string, string> = { detector: 'detector', executor: 'executor' };
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
/** The long-running arb services (not the provisioning Job). */
const arbServices = (o: Overlay): K8sObject[] => arbWorkloads(o).filter((w) => SERVICES.has(w.kind));
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
    for (const w of workloads(overlay).filter((x) => SERVICES.has(x.kind))) {
      const pod = podSpecOf(w) as JsonObject;
      const annotations = objAt(objAt(objAt(objAt(w, 'spec'), 'template'), 'metadata'), 'annotations') ?? {};
      const isArb = arbServices(overlay).includes(w);
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
    const names = arbServices(overlay).map(nameOf).sort();
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
    // One feed user per venue, one user per service, the provisioner, operators and monitoring.
    expect(users.map((u) => u.user).sort()).toEqual(['admin', 'detector', 'executor', 'feed-binance', 'feed-coinbase', 'monitor', 'provisioner', 'stats']);
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
    // The HTTP monitor (no authentication in nats-server) is on the pod's loopback only, and no Service exposes it.
    expect(/^http:\s*"127\.0\.0\.1:8222"\s*$/m.test(conf)).toBe(true);
    expect(/^\s*(http_port|monitor_port)\s*:/m.test(conf)).toBe(false);
    expect(listAt(objAt(find(overlay, 'Service', 'nats'), 'spec'), 'ports').map((p) => p.port)).toEqual([4222]);
  });

  test('JetStream is provisioned by the Job jetstream-provision as the user provisioner; no service user may create, change, purge or delete a stream', () => {
    const job = find(overlay, 'Job', 'jetstream-provision') as K8sObject;
    const c = containersOf(podSpecOf(job))[0] as JsonObject;
    expect(c.command).toEqual(['node', 'packages/cli/dist/main.js', 'provision']);
    expect(entryPointProblems((c.command as string[]).slice(0, 2))).toEqual([]);
    const conf = decodeConfigMap(overlay, 'nats-config', 'nats.conf').replace(/#[^\n]*/g, '');
    const blocks = new Map<string, string>();
    const re = /\buser\s*:\s*([A-Za-z0-9_-]+)/g;
    const starts = [...conf.matchAll(re)].map((m) => ({ user: m[1] as string, at: m.index ?? 0 }));
    starts.forEach((u, i) => blocks.set(u.user, conf.slice(u.at, starts[i + 1]?.at ?? conf.length)));
    for (const [user, block] of blocks) {
      const admin = /\$JS\.API\.(STREAM\.(CREATE|UPDATE|DELETE|PURGE|MSG\.DELETE|SNAPSHOT|RESTORE)|ACCOUNT|META|SERVER)/.test(block);
      expect([user, admin]).toEqual([user, user === 'provisioner']);
      // Stream admin only through explicit subjects: no JetStream API wildcard for anyone but admin (no permissions).
      expect([user, /"\$JS\.API\.>"|"\$JS\.>"|"\$JS\.API\.STREAM\.>"/.test(block)]).toEqual([user, false]);
    }
    expect(/PURGE|DELETE\.ARB|MSG\.DELETE/.test(blocks.get('provisioner') ?? '')).toBe(false);
  });

  test('Redis: an ACL user per service, passwords from arb-redis as files and URLs, none on a command line', () => {
    const secret = generated(overlay, 'Secret', 'arb-redis') as K8sObject;
    const redis = find(overlay, 'Deployment', 'redis') as K8sObject;
    const pod = podSpecOf(redis) as JsonObject;
    const server = listAt(pod, 'containers')[0] as JsonObject;
    const init = listAt(pod, 'initContainers')[0] as JsonObject;
    expect(server.command).toEqual(['redis-server', '/etc/redis/redis.conf']);
    const redisConf = decodeConfigMap(overlay, 'redis-config', 'redis.conf');
    expect(redisConf).toMatch(/^aclfile \/run\/redis\/users\.acl$/m);
    expect(redisConf).not.toMatch(/requirepass|masterauth/);
    // The init container renders the ACL file from the template and the password files into the memory volume.
    const acl = decodeConfigMap(overlay, 'redis-config', 'users.acl');
    const aclUsers = [...acl.matchAll(/^user (\S+) /gm)].map((m) => m[1] as string).filter((u) => u !== 'default');
    expect(aclUsers.sort()).toEqual(['admin', 'detector', 'executor', 'healthcheck']);
    expect(acl).toMatch(/^user default off /m);
    for (const u of aclUsers) expect([u, decode(secret, u)]).toEqual([u, expect.stringMatching(/^[A-Za-z0-9._~-]{8,}$/)]);
    expect(init.command).toEqual(['sh', '/etc/redis/render-acl.sh', '/etc/redis/users.acl', '/run/redis/users.acl']);
    const volumes = new Map(listAt(pod, 'volumes').map((v) => [String(v.name), v]));
    const mountOf = (c: JsonObject, path: string): JsonObject | undefined => volumes.get(String(listAt(c, 'volumeMounts').find((m) => m.mountPath === path)?.name));
    expect(strAt(objAt(mountOf(init, '/run/secrets/redis'), 'secret'), 'secretName')).toBe(nameOf(secret));
    expect(envOf(init).get('REDIS_PASSWORD_DIR')?.value).toBe('/run/secrets/redis');
    expect(pathAt(mountOf(server, '/run/redis'), ['emptyDir', 'medium'])).toBe('Memory');
    expect(pathAt(mountOf(init, '/run/redis'), ['emptyDir', 'medium'])).toBe('Memory');
    // The server container sees the healthcheck password only (for its probe).
    expect(listAt(objAt(mountOf(server, '/run/secrets/redis'), 'secret'), 'items').map((i) => i.key)).toEqual(['healthcheck']);
    for (const w of arbWorkloads(overlay)) {
      const env = envOf(containersOf(podSpecOf(w))[0] as JsonObject);
      const user = REDIS_USERS[nameOf(w)];
      expect([nameOf(w), env.has('ARB__REDIS__URL')]).toEqual([nameOf(w), user !== undefined]);
      if (user === undefined) continue;
      expect(env.get('ARB__REDIS__URL')?.value).toBe(`redis://${user}:$(REDIS_PASSWORD)@redis:6379`);
      expect(pathAt(env.get('REDIS_PASSWORD'), ['valueFrom', 'secretKeyRef'])).toEqual({ name: nameOf(secret), key: user });
    }
  });

  test('no password or key on a command line, in args or in a literal env value', () => {
    const problems: string[] = [];
    for (const w of workloads(overlay)) {
      for (const c of containersOf(podSpecOf(w))) {
        const where = `${idOf(w)} container ${String(c.name)}`;
        const line = JSON.stringify([c.command ?? [], c.args ?? []]);
        if (/requirepass|--pass\b|-a\s|\$\(\w*PASSWORD\)|\$\w*PASSWORD|API_KEY|API_SECRET|PRIVATE_KEY/i.test(line)) problems.push(`${where}: secret on the command line: ${line}`);
        for (const e of listAt(c, 'env')) {
          if (typeof e.value === 'string' && /change-me|BEGIN .*PRIVATE KEY/.test(e.value)) problems.push(`${where}: literal secret in env ${String(e.name)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('every container runs unprivileged: non-root, no privilege escalation, read-only root filesystem, no capabilities', () => {
    const problems: string[] = [];
    for (const w of workloads(overlay)) {
      const pod = podSpecOf(w) as JsonObject;
      for (const c of containersOf(pod)) {
        const where = `${idOf(w)} container ${String(c.name)}`;
        const nonRoot = pathAt(c, ['securityContext', 'runAsNonRoot']) ?? pathAt(pod, ['securityContext', 'runAsNonRoot']);
        const uid = pathAt(c, ['securityContext', 'runAsUser']) ?? pathAt(pod, ['securityContext', 'runAsUser']);
        if (nonRoot !== true || typeof uid !== 'number' || uid === 0) problems.push(`${where}: not runAsNonRoot with a non-zero runAsUser`);
        if (pathAt(c, ['securityContext', 'allowPrivilegeEscalation']) !== false) problems.push(`${where}: privilege escalation allowed`);
        if (pathAt(c, ['securityContext', 'readOnlyRootFilesystem']) !== true) problems.push(`${where}: writable root filesystem`);
        if (JSON.stringify(pathAt(c, ['securityContext', 'capabilities', 'drop'])) !== '["ALL"]') problems.push(`${where}: capabilities not dropped`);
        if (pathAt(c, ['securityContext', 'capabilities', 'add']) !== undefined) problems.push(`${where}: capabilities added`);
        if (pathAt(pod, ['securityContext', 'seccompProfile', 'type']) !== 'RuntimeDefault') problems.push(`${where}: no RuntimeDefault seccomp profile`);
      }
      if (pod.automountServiceAccountToken !== false) problems.push(`${idOf(w)}: mounts a service account token`);
      // Writable volumes mounted by the pod's user need its fsGroup (PVCs, secret files with mode 0440).
      const needsGroup = listAt(pod, 'volumes').some((v) => v.persistentVolumeClaim !== undefined || pathAt(v, ['secret', 'defaultMode']) === 288);
      if (needsGroup && typeof pathAt(pod, ['securityContext', 'fsGroup']) !== 'number') problems.push(`${idOf(w)}: PVC or 0440 secret files without fsGroup`);
    }
    expect(problems).toEqual([]);
    // NATS and Redis too, with their volumes writable through fsGroup.
    for (const name of ['nats', 'redis']) expect([name, pathAt(podSpecOf(find(overlay, 'Deployment', name) as K8sObject), ['securityContext', 'runAsNonRoot'])]).toEqual([name, true]);
  });

  test('NetworkPolicies: default deny, and only the flows of the architecture are allowed', () => {
    const policies = ofKind(overlay, 'NetworkPolicy');
    const deny = policies.find((p) => nameOf(p) === 'default-deny') as K8sObject;
    expect(pathAt(deny, ['spec', 'podSelector'])).toEqual({});
    expect(pathAt(deny, ['spec', 'policyTypes'])).toEqual(['Ingress', 'Egress']);
    expect(listAt(objAt(deny, 'spec'), 'ingress')).toEqual([]);
    expect(listAt(objAt(deny, 'spec'), 'egress')).toEqual([]);
    const pod = (name: string): Peer => {
      const w = workloads(overlay).find((x) => nameOf(x) === name) as K8sObject;
      const labels = (pathAt(w, ['spec', 'template', 'metadata', 'labels']) ?? {}) as Record<string, string>;
      return { kind: 'pod', name, labels };
    };
    const prometheus: Peer = { kind: 'foreign-pod', labels: { 'app.kubernetes.io/name': 'prometheus' } };
    const dns: Peer = { kind: 'foreign-pod', labels: { 'k8s-app': 'kube-dns' } };
    const venue: Peer = { kind: 'ip', ip: '52.84.150.34' };
    const internal: Peer = { kind: 'ip', ip: '10.1.2.3' };
    const feeds = ['feed-ingestor-binance', 'feed-ingestor-coinbase'];
    const clients = [...feeds, 'detector', 'executor', 'stats', 'jetstream-provision'];
    const sim = overlay === 'sim';
    const flows: [string | Peer, string | Peer, number, boolean][] = [
      ...clients.map((c): [string, string, number, boolean] => [c, 'nats', 4222, true]),
      ['detector', 'redis', 6379, true],
      ['executor', 'redis', 6379, true],
      ...feeds.map((f): [string, string, number, boolean] => [f, 'redis', 6379, false]),
      ['stats', 'redis', 6379, false],
      ['jetstream-provision', 'redis', 6379, false],
      ...feeds.map((f): [string, Peer, number, boolean] => [f, venue, 443, true]),
      ['executor', venue, 443, true],
      ['executor', venue, 9443, true],
      ['detector', venue, 443, false],
      ['stats', venue, 443, false],
      ['nats', venue, 443, false],
      ['redis', venue, 443, false],
      ['executor', internal, 443, false],
      ['nats', 'redis', 6379, false],
      ['detector', 'executor', 9100, false],
      ['stats', 'nats', 8222, false],
      [prometheus, 'detector', 9100, true],
      [prometheus, 'stats', 9100, true],
      [prometheus, 'nats', 4222, false],
      [prometheus, 'redis', 6379, false],
      ...['detector', 'executor', 'nats', 'redis', 'feed-ingestor-binance'].map((s): [string, Peer, number, boolean] => [s, dns, 53, true]),
      ...(sim
        ? ([
            ['feed-ingestor-binance', 'exchange-sim', 18081, true],
            ['feed-ingestor-coinbase', 'exchange-sim', 18082, true],
            ['executor', 'exchange-sim', 18081, true],
            ['detector', 'exchange-sim', 18081, false],
            ['stats', 'exchange-sim', 18082, false],
            [prometheus, 'exchange-sim', 18080, true],
          ] as [string | Peer, string | Peer, number, boolean][])
        : []),
    ];
    const label = (p: string | Peer): string => (typeof p === 'string' ? p : p.kind === 'ip' ? p.ip : JSON.stringify(p.labels));
    const wrong = flows
      .filter(([from, to, port, want]) => allowed(policies, { from: typeof from === 'string' ? pod(from) : from, to: typeof to === 'string' ? pod(to) : to, port, protocol: port === 53 ? 'UDP' : 'TCP' }) !== want)
      .map(([from, to, port, want]) => `${label(from)} → ${label(to)}:${port} should be ${want ? 'allowed' : 'denied'}`);
    expect(wrong).toEqual([]);
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

test('live: the executor (only) reads the four venue credentials from files of arb-venue-keys; no placeholder secret is left', () => {
  const keys = generated('live', 'Secret', 'arb-venue-keys') as K8sObject;
  for (const w of arbWorkloads('live')) {
    const pod = podSpecOf(w) as JsonObject;
    const c = containersOf(pod)[0] as JsonObject;
    const env = envOf(c);
    const keyVolume = listAt(pod, 'volumes').find((v) => pathAt(v, ['secret', 'secretName']) === nameOf(keys));
    for (const k of LIVE_KEYS) {
      // Never as an environment variable (from a Secret or literal).
      expect([nameOf(w), k, env.has(k)]).toEqual([nameOf(w), k, false]);
      if (nameOf(w) !== 'executor') {
        expect([nameOf(w), k, env.has(`${k}_FILE`), keyVolume]).toEqual([nameOf(w), k, false, undefined]);
        continue;
      }
      const mount = listAt(c, 'volumeMounts').find((m) => m.name === keyVolume?.name);
      expect([k, mount?.readOnly]).toEqual([k, true]);
      expect([k, env.get(`${k}_FILE`)?.value]).toEqual([k, `${String(mount?.mountPath)}/${k}`]);
      expect([k, decode(keys, k)]).toEqual([k, expect.any(String)]);
    }
    if (nameOf(w) === 'executor') {
      // 0440 and the pod's fsGroup: readable by the node user, by no other.
      expect(pathAt(keyVolume, ['secret', 'defaultMode'])).toBe(0o440);
      expect(pathAt(pod, ['securityContext', 'fsGroup'])).toBe(pathAt(pod, ['securityContext', 'runAsGroup']));
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
