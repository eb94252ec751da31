/**
 * docker-compose.yml against the Compose Specification's JSON schema (vendored, deploy/test/schemas), then what
 * `docker compose up` would only reveal at run time: entry points, dependencies and health checks, URLs and ports
 * between services, persistence, the monitoring mounts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { composeValidator, formatErrors } from './lib/compose-schema';
import { entryPointProblems } from './lib/entry-points';
import { isObject, objAt, type Json, type JsonObject } from './lib/json';
import { ROOT } from './lib/render';

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as JsonObject;
const services = objAt(compose, 'services') ?? {};
const service = (name: string): JsonObject => {
  const s = objAt(services, name);
  if (s === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};
const names = Object.keys(services);
const arbServices = names.filter((n) => String(service(n).image).startsWith('arb-system:'));
const env = (name: string): JsonObject => objAt(service(name), 'environment') ?? {};
const strings = (v: Json | undefined): string[] => (Array.isArray(v) ? v.map(String) : []);
const healthUrl = (name: string): URL => {
  const test = strings(objAt(service(name), 'healthcheck')?.test).join(' ');
  const m = /https?:\/\/[^'" )]+/.exec(test);
  if (m === null) throw new Error(`${name}: no URL in its healthcheck`);
  return new URL(m[0]);
};
const venues = Object.keys(objAt(parse(readFileSync(join(ROOT, 'config', 'default.yaml'), 'utf8')) as JsonObject, 'venues') ?? {});

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
  const expected = ['nats', 'redis', 'exchange-sim', ...venues.map((v) => `feed-ingestor-${v}`), 'detector', 'executor', 'stats', 'prometheus', 'grafana'];
  expect(names.sort()).toEqual(expected.sort());
  for (const v of venues) expect(env(`feed-ingestor-${v}`).VENUE).toBe(v);
  expect(objAt(service('executor'), 'deploy')?.replicas).toBe(2);
});

test('every arb service runs an entry point that tsc -b builds, from the one image built from ./Dockerfile', () => {
  expect(arbServices.length).toBe(venues.length + 4);
  for (const name of arbServices) {
    const s = service(name);
    expect([name, entryPointProblems(strings(s.command))]).toEqual([name, []]);
    expect([name, s.image, objAt(s, 'build')]).toEqual([name, 'arb-system:dev', { context: '.', dockerfile: 'Dockerfile' }]);
  }
  expect(existsSync(join(ROOT, 'Dockerfile'))).toBe(true);
});

test('dependencies exist and wait for health: every service waited on as healthy has a healthcheck', () => {
  const problems: string[] = [];
  for (const name of names) {
    const deps = objAt(service(name), 'depends_on') ?? {};
    for (const [dep, spec] of Object.entries(deps)) {
      if (!names.includes(dep)) problems.push(`${name} depends on unknown ${dep}`);
      const condition = isObject(spec) ? spec.condition : undefined;
      if (condition !== 'service_healthy') problems.push(`${name} → ${dep}: condition ${String(condition)}, not service_healthy`);
      else if (objAt(service(dep), 'healthcheck') === undefined) problems.push(`${name} waits for ${dep} to be healthy, which has no healthcheck`);
    }
    if (objAt(service(name), 'healthcheck') === undefined) problems.push(`${name} has no healthcheck`);
  }
  expect(problems).toEqual([]);
  // The clients of NATS / Redis / the sim venues wait for them.
  for (const name of arbServices) {
    const deps = Object.keys(objAt(service(name), 'depends_on') ?? {});
    const e = env(name);
    if (name === 'exchange-sim') continue;
    expect([name, deps.includes('nats')]).toEqual([name, true]);
    if (name === 'detector' || name === 'executor') expect([name, deps.includes('redis')]).toEqual([name, true]);
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

test('URLs between services: NATS, Redis and the simulated venues, on the ports they listen on', () => {
  const sim = env('exchange-sim');
  expect(sim.ARB__SIM__HOST).toBe('0.0.0.0');
  expect(strings(service('nats').command)).toEqual(expect.arrayContaining(['-js', '-sd']));
  for (const name of arbServices) {
    const e = env(name);
    if (name !== 'exchange-sim') {
      expect([name, e.ARB__NATS__URL, e.ARB__REDIS__URL, e.ARB__HTTP__HOST]).toEqual([name, 'nats://nats:4222', 'redis://redis:6379', '0.0.0.0']);
    }
    for (const v of venues) {
      const V = v.toUpperCase();
      const port = String(sim[`ARB__SIM__VENUES__${V}__PORT`]);
      expect([name, e[`ARB__VENUES__${V}__WS_URL`], e[`ARB__VENUES__${V}__REST_URL`]]).toEqual([name, `ws://exchange-sim:${port}`, `http://exchange-sim:${port}`]);
    }
  }
});

test('persistence: JetStream and the Redis AOF on named volumes', () => {
  const declared = Object.keys(objAt(compose, 'volumes') ?? {});
  const nats = strings(service('nats').command);
  const storeDir = nats[nats.indexOf('-sd') + 1];
  expect(strings(service('nats').volumes)).toContain(`nats-data:${storeDir}`);
  expect(strings(service('redis').command).join(' ')).toContain('--appendonly yes');
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
