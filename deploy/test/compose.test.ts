/**
 * docker-compose.yml against the Compose Specification's JSON schema (vendored, deploy/test/schemas), then what
 * `docker compose up` would only reveal at run time: entry points, dependencies and health checks, URLs and ports
 * between services, authentication (each service its own NATS and Redis user, passwords from .env only),
 * unprivileged NATS and Redis, persistence, the monitoring mounts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { composeValidator, formatErrors } from './lib/compose-schema';
import { entryPointProblems } from './lib/entry-points';
import { isObject, objAt, type Json, type JsonObject } from './lib/json';
import { natsUsers } from './lib/nats-conf';
import { ROOT } from './lib/render';

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as JsonObject;
const services = objAt(compose, 'services') ?? {};
const service = (name: string): JsonObject => {
  const s = objAt(services, name);
  if (s === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};
const names = Object.keys(services);
/** Runs once and exits (restart "no"), or only on demand (a profile): not a long-running service. */
const oneShot = (name: string): boolean => service(name).restart === 'no';
const arbImage = names.filter((n) => String(service(n).image).startsWith('arb-system:'));
const arbServices = arbImage.filter((n) => !oneShot(n));
const env = (name: string): JsonObject => objAt(service(name), 'environment') ?? {};
const strings = (v: Json | undefined): string[] => (Array.isArray(v) ? v.map(String) : []);
const healthUrl = (name: string): URL => {
  const test = strings(objAt(service(name), 'healthcheck')?.test).join(' ');
  const m = /https?:\/\/[^'" )]+/.exec(test);
  if (m === null) throw new Error(`${name}: no URL in its healthcheck`);
  return new URL(m[0]);
};
const venues = Object.keys(objAt(parse(readFileSync(join(ROOT, 'config', 'default.yaml'), 'utf8')) as JsonObject, 'venues') ?? {});
const natsConf = readFileSync(join(ROOT, 'k8s/base/nats/nats.conf'), 'utf8');
const aclTemplate = readFileSync(join(ROOT, 'k8s/base/redis/users.acl'), 'utf8');
/** `${VAR:?hint}`: compose refuses to start when VAR (from .env) is unset. */
const required = (v: string): string => `\${${v}:?run node deploy/compose/make-env.mjs}`;
/** The NATS user of each service (the feed-ingestor of a venue: feed-<venue>) and the Redis user of those using Redis. */
const NATS_USER: Record<string, string> = {
  ...Object.fromEntries(venues.map((v) => [`feed-ingestor-${v}`, `feed-${v}`])),
  detector: 'detector',
  executor: 'executor',
  stats: 'stats',
  'jetstream-provision': 'provisioner',
  'arb-config': 'admin',
};
const REDIS_USER: Record<string, string> = { detector: 'detector', executor: 'executor' };
const passwordVar = (user: string): string => natsUsers(natsConf).find((u) => u.user === user)?.passwordVariable ?? `missing NATS user ${user}`;

test('docker-compose.yml is valid against the Compose Specification schema', () => {
  const validate = composeValidator();
  const ok = validate(compose);
  expect(formatErrors(validate.errors)).toEqual([]);
  expect(ok).toBe(true);
});

test('the schema check rejects what Compose rejects (a typo, a bad duration, a bad dependency condition)', () => {
  const validate = composeValidator();
  const broken = (mutate: (c: JsonObject) => void): boolean => {
    const copy = structuredClone(compose);
    mutate(copy);
    return validate(copy);
  };
  expect(broken((c) => ((objAt(objAt(c, 'services'), 'detector') as JsonObject).comand = ['node']))).toBe(false);
  expect(broken((c) => ((objAt(objAt(objAt(c, 'services'), 'nats'), 'healthcheck') as JsonObject).interval = '5 seconds'))).toBe(false);
  expect(broken((c) => ((objAt(objAt(c, 'services'), 'stats') as JsonObject).depends_on = { nats: { condition: 'healthy' } }))).toBe(false);
});

test('the services: infrastructure, exchange-sim, a feed-ingestor per configured venue, detector, 2 executors, stats, monitoring', () => {
  const expected = [
    'nats-data-owner',
    'nats',
    'redis',
    'jetstream-provision',
    'arb-config',
    'exchange-sim',
    ...venues.map((v) => `feed-ingestor-${v}`),
    'detector',
    'executor',
    'stats',
    'prometheus',
    'grafana',
  ];
  expect(names.sort()).toEqual(expected.sort());
  for (const v of venues) expect(env(`feed-ingestor-${v}`).VENUE).toBe(v);
  expect(objAt(service('executor'), 'deploy')?.replicas).toBe(2);
});

test('every arb service runs an entry point that tsc -b builds, from the one image built from ./Dockerfile', () => {
  expect(arbServices.length).toBe(venues.length + 4);
  expect(arbImage.filter(oneShot).sort()).toEqual(['arb-config', 'jetstream-provision']);
  for (const name of arbImage) {
    const s = service(name);
    const argv = s.entrypoint !== undefined ? strings(s.entrypoint) : strings(s.command).slice(0, 2);
    expect([name, entryPointProblems(argv)]).toEqual([name, []]);
    expect([name, s.image, objAt(s, 'build')]).toEqual([name, 'arb-system:dev', { context: '.', dockerfile: 'Dockerfile' }]);
  }
  expect(existsSync(join(ROOT, 'Dockerfile'))).toBe(true);
});

test('dependencies exist and wait for health: every service waited on as healthy has a healthcheck', () => {
  const problems: string[] = [];
  for (const name of names) {
    const deps = objAt(service(name), 'depends_on') ?? {};
    for (const [dep, spec] of Object.entries(deps)) {
      if (!names.includes(dep)) {
        problems.push(`${name} depends on unknown ${dep}`);
        continue;
      }
      const condition = isObject(spec) ? spec.condition : undefined;
      // A one-shot step is waited for until it exited 0; a service until it is healthy.
      const wanted = oneShot(dep) ? 'service_completed_successfully' : 'service_healthy';
      if (condition !== wanted) problems.push(`${name} → ${dep}: condition ${String(condition)}, not ${wanted}`);
      else if (!oneShot(dep) && objAt(service(dep), 'healthcheck') === undefined) problems.push(`${name} waits for ${dep} to be healthy, which has no healthcheck`);
    }
    if (!oneShot(name) && objAt(service(name), 'healthcheck') === undefined) problems.push(`${name} has no healthcheck`);
  }
  expect(problems).toEqual([]);
  // The clients of NATS / Redis / the sim venues wait for them.
  for (const name of arbServices) {
    const deps = Object.keys(objAt(service(name), 'depends_on') ?? {});
    const e = env(name);
    if (name === 'exchange-sim') continue;
    expect([name, deps.includes('nats')]).toEqual([name, true]);
    if (name === 'detector' || name === 'executor') expect([name, deps.includes('redis')]).toEqual([name, true]);
    // JetStream users start once the provisioner has created the streams (their users may not).
    if (!name.startsWith('feed-ingestor-')) expect([name, deps.includes('jetstream-provision')]).toEqual([name, true]);
    if (name.startsWith('feed-ingestor-') || name === 'executor') expect([name, deps.includes('exchange-sim'), String(e.ARB_MODE)]).toEqual([name, true, 'sim']);
  }
});

test('health checks probe /readyz on the port each service serves it on', () => {
  for (const name of arbServices) {
    const url = healthUrl(name);
    const port = name === 'exchange-sim' ? String(env(name).ARB__SIM__CONTROL__PORT) : String(env(name).ARB__HTTP__PORT);
    expect([name, url.hostname, url.port, url.pathname]).toEqual([name, '127.0.0.1', port, '/readyz']);
  }
  expect(healthUrl('nats').pathname).toBe('/healthz');
});

test("URLs between services: NATS and Redis as each service's own user, and the simulated venues, on the ports they listen on", () => {
  const sim = env('exchange-sim');
  expect(sim.ARB__SIM__HOST).toBe('0.0.0.0');
  for (const name of arbImage) {
    const e = env(name);
    const natsUser = NATS_USER[name];
    const redisUser = REDIS_USER[name];
    if (name === 'exchange-sim') expect([name, e.ARB__NATS__URL, e.ARB__REDIS__URL]).toEqual([name, undefined, undefined]);
    else {
      expect([name, e.ARB__NATS__URL]).toEqual([name, `nats://${natsUser}:${required(passwordVar(natsUser as string))}@nats:4222`]);
      const redisVar = redisUser === undefined ? '' : `REDIS_${redisUser.toUpperCase()}_PASSWORD`;
      expect([name, e.ARB__REDIS__URL]).toEqual([name, redisUser === undefined ? undefined : `redis://${redisUser}:${required(redisVar)}@redis:6379`]);
      expect([name, e.ARB__HTTP__HOST]).toEqual([name, '0.0.0.0']);
    }
    for (const v of venues) {
      const V = v.toUpperCase();
      const port = String(sim[`ARB__SIM__VENUES__${V}__PORT`]);
      expect([name, e[`ARB__VENUES__${V}__WS_URL`], e[`ARB__VENUES__${V}__REST_URL`]]).toEqual([name, `ws://exchange-sim:${port}`, `http://exchange-sim:${port}`]);
    }
  }
});

test('NATS: the k8s configuration (users, permissions, loopback monitor) with every password from .env; none published beyond 4222', () => {
  const nats = service('nats');
  expect(strings(nats.command)).toEqual(['-c', '/etc/nats/nats.conf']);
  expect(strings(nats.volumes)).toContain('./k8s/base/nats/nats.conf:/etc/nats/nats.conf:ro');
  const e = env('nats');
  const users = natsUsers(natsConf);
  expect(Object.keys(e).sort()).toEqual(users.map((u) => u.passwordVariable).sort());
  for (const u of users) expect([u.user, e[u.passwordVariable]]).toEqual([u.user, required(u.passwordVariable)]);
  expect(strings(nats.ports)).toEqual(['127.0.0.1:4222:4222']);
  expect(healthUrl('nats').hostname).toBe('127.0.0.1');
});

test('Redis: the k8s ACL users (rendered by render-acl.sh from .env passwords), redis.conf, no password on a command line', () => {
  const redis = service('redis');
  expect(strings(redis.entrypoint)).toEqual(['sh', '/etc/redis/render-acl.sh', '/etc/redis/users.acl', '/run/redis/users.acl', '--', 'redis-server', '/etc/redis/redis.conf']);
  expect(strings(redis.volumes)).toContain('./k8s/base/redis:/etc/redis:ro');
  const users = [...aclTemplate.matchAll(/^user (\S+) /gm)].map((m) => m[1] as string).filter((u) => u !== 'default');
  const e = env('redis');
  expect(Object.keys(e).sort()).toEqual(users.map((u) => `REDIS_${u.toUpperCase()}_PASSWORD`).sort());
  for (const v of Object.keys(e)) expect(e[v]).toBe(required(v));
  expect(strings(objAt(redis, 'healthcheck')?.test).join(' ')).toMatch(/REDISCLI_AUTH="\$\$REDIS_HEALTHCHECK_PASSWORD" redis-cli --user healthcheck/);
  expect(strings(redis.tmpfs)[0]).toMatch(/^\/run\/redis:uid=999,gid=999,mode=0700$/);
});

test('secrets: every password is a ${VAR:?} from .env, which deploy/compose/make-env.mjs generates; no literal secret, none on a command line', () => {
  const text = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
  const used = new Set([...text.matchAll(/\$\{([A-Z_][A-Z0-9_]*)(:[?-][^}]*)?\}/g)].filter((m) => /PASSWORD/.test(m[1] as string)).map((m) => m[1] as string));
  for (const m of text.matchAll(/\$\{([A-Z_][A-Z0-9_]*PASSWORD)(:[?-][^}]*)?\}/g)) {
    // Grafana's admin password has a default for a local stack; every NATS/Redis password is required.
    if (m[1] !== 'GRAFANA_ADMIN_PASSWORD') expect([m[1], m[2]]).toEqual([m[1], ':?run node deploy/compose/make-env.mjs']);
  }
  const generated = natsUsers(natsConf).map((u) => u.passwordVariable);
  const redisVars = [...aclTemplate.matchAll(/^user (\S+) /gm)].map((m) => m[1] as string).filter((u) => u !== 'default').map((u) => `REDIS_${u.toUpperCase()}_PASSWORD`);
  expect([...used].filter((v) => v !== 'GRAFANA_ADMIN_PASSWORD').sort()).toEqual([...generated, ...redisVars].sort());
  const makeEnv = readFileSync(join(ROOT, 'deploy/compose/make-env.mjs'), 'utf8');
  expect(makeEnv).toContain('k8s/base/nats/nats.conf');
  expect(makeEnv).toContain('k8s/base/redis/users.acl');
  for (const name of names) {
    const argv = [...strings(service(name).command), ...strings(service(name).entrypoint)].join(' ');
    expect([name, /requirepass|--pass\b|PASSWORD|change-me/.test(argv)]).toEqual([name, false]);
  }
  expect(readFileSync(join(ROOT, '.gitignore'), 'utf8')).toMatch(/^\.env$/m);
  expect(readFileSync(join(ROOT, '.dockerignore'), 'utf8')).toMatch(/^\*\*\/\.env$/m);
});

test('NATS, Redis and every arb container run unprivileged: non-root user, read-only root filesystem, no capabilities', () => {
  for (const name of ['nats', 'redis', ...arbImage]) {
    const s = service(name);
    const user = String(s.user ?? (String(s.image).startsWith('arb-system:') ? 'node (image USER)' : 'root'));
    expect([name, /^0(:|$)|root/.test(user)]).toEqual([name, false]);
    expect([name, s.read_only, strings(s.cap_drop), strings(s.security_opt)]).toEqual([name, true, ['ALL'], ['no-new-privileges:true']]);
  }
  expect(service('nats').user).toBe('1000:1000');
  expect(service('redis').user).toBe('999:999');
  // The one root step: chown of the JetStream volume to NATS' user, with CHOWN as its only capability.
  const owner = service('nats-data-owner');
  expect([owner.user, strings(owner.cap_drop), strings(owner.cap_add), strings(owner.entrypoint)]).toEqual(['0:0', ['ALL'], ['CHOWN'], ['chown', '1000:1000', '/data']]);
});

test('persistence: JetStream and the Redis AOF on named volumes', () => {
  const declared = Object.keys(objAt(compose, 'volumes') ?? {});
  const storeDir = /store_dir:\s*(\S+)/.exec(natsConf)?.[1];
  expect(strings(service('nats').volumes)).toContain(`nats-data:${storeDir}`);
  expect(strings(service('nats-data-owner').volumes)).toContain(`nats-data:${storeDir}`);
  const redisConf = readFileSync(join(ROOT, 'k8s/base/redis/redis.conf'), 'utf8');
  expect(redisConf).toMatch(/^appendonly yes$/m);
  expect(redisConf).toMatch(/^dir \/data$/m);
  expect(strings(service('redis').volumes)).toContain('redis-data:/data');
  for (const name of names) {
    for (const v of strings(service(name).volumes)) {
      const source = v.split(':')[0] as string;
      if (!source.startsWith('.') && !source.startsWith('/')) expect([name, declared.includes(source)]).toEqual([name, true]);
    }
  }
});

test('ports are published on 127.0.0.1 only, never twice, never by a replicated service', () => {
  const seen = new Map<string, string>();
  for (const name of names) {
    const ports = strings(service(name).ports);
    if (Number(objAt(service(name), 'deploy')?.replicas ?? 1) > 1) expect([name, ports]).toEqual([name, []]);
    for (const p of ports) {
      expect([name, p]).toEqual([name, expect.stringMatching(/^127\.0\.0\.1:\d+:\d+$/)]);
      const host = p.split(':')[1] as string;
      expect([name, host, seen.get(host)]).toEqual([name, host, undefined]);
      seen.set(host, name);
    }
  }
});

test('Prometheus and Grafana get their configuration and dashboards from deploy/', () => {
  const prom = service('prometheus');
  expect(strings(prom.volumes)).toContain('./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
  expect(strings(prom.command)).toContain('--config.file=/etc/prometheus/prometheus.yml');
  const grafana = strings(service('grafana').volumes);
  expect(grafana).toContain('./deploy/grafana/provisioning:/etc/grafana/provisioning:ro');
  expect(grafana).toContain('./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro');
});
