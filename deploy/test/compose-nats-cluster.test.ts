/**
 * docker-compose.nats-cluster.yml merged onto docker-compose.yml the way `docker compose -f a -f b` merges them (maps
 * merged key by key, sequences such as `command` replaced), then checked against the Compose Specification's schema
 * and for what a cluster needs: three nodes with distinct names, routes to each other, a store each, and every service
 * given all three URLs and 3 replicas.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { composeValidator, formatErrors } from './lib/compose-schema';
import { isObject, objAt, type Json, type JsonObject } from './lib/json';
import { ROOT } from './lib/render';

const load = (file: string): JsonObject => parse(readFileSync(join(ROOT, file), 'utf8'), { merge: true }) as JsonObject;

/** Compose's merge of an override file: mappings merged recursively, everything else replaced. */
function merge(base: Json, over: Json): Json {
  if (!isObject(base) || !isObject(over)) return over;
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? merge(base[k] as Json, v as Json) : v;
  return out;
}

const compose = merge(load('docker-compose.yml'), load('docker-compose.nats-cluster.yml')) as JsonObject;
const services = objAt(compose, 'services') ?? {};
const service = (name: string): JsonObject => objAt(services, name) ?? {};
const NODES = ['nats', 'nats-2', 'nats-3'];
const arg = (cmd: string[], flag: string): string | undefined => cmd[cmd.indexOf(flag) + 1];

test('the merged file is valid against the Compose Specification schema', () => {
  const validate = composeValidator();
  const ok = validate(compose);
  expect(formatErrors(validate.errors)).toEqual([]);
  expect(ok).toBe(true);
});

test('three JetStream nodes with distinct names, one cluster, routes to the two others, a volume each', () => {
  const names = new Set<string>();
  const volumes = new Set<string>();
  for (const node of NODES) {
    const s = service(node);
    expect(String(s.image)).toMatch(/^nats:2\.1\d/);
    const cmd = (s.command as string[]).map(String);
    expect(cmd).toEqual(expect.arrayContaining(['-js', '-sd', '/data']));
    names.add(String(arg(cmd, '-n')));
    expect(arg(cmd, '--cluster_name')).toBe('arb');
    expect(arg(cmd, '--cluster')).toBe('nats://0.0.0.0:6222');
    const routes = String(arg(cmd, '--routes')).split(',').map((r) => new URL(r).hostname).sort();
    expect(routes).toEqual(NODES.filter((n) => n !== node).sort());
    const vol = (s.volumes as string[]).find((v) => v.endsWith(':/data'));
    expect(vol).toBeDefined();
    volumes.add(String(vol).split(':')[0] ?? '');
    expect(objAt(s, 'healthcheck')).toBeDefined();
  }
  expect(names).toEqual(new Set(['nats-1', 'nats-2', 'nats-3']));
  expect(volumes.size).toBe(3);
  for (const v of volumes) expect(Object.keys(objAt(compose, 'volumes') ?? {})).toContain(v);
});

test('every arb service connects with all three URLs, provisions 3 replicas and waits for every node', () => {
  const arb = Object.keys(services).filter((n) => String(service(n).image).startsWith('arb-system:'));
  expect(arb.length).toBeGreaterThanOrEqual(6);
  for (const name of arb) {
    const env = objAt(service(name), 'environment') ?? {};
    const hosts = String(env.ARB__NATS__URL).split(',').map((u) => `${new URL(u).hostname}:${new URL(u).port}`);
    expect(hosts).toEqual(NODES.map((n) => `${n}:4222`));
    expect(env.ARB__NATS__REPLICAS).toBe('3');
    expect(env.ARB_MODE).toBe('sim'); // the base file's environment is kept, only NATS is overridden
    if (name === 'exchange-sim') continue;
    const deps = Object.keys(objAt(service(name), 'depends_on') ?? {});
    expect(deps).toEqual(expect.arrayContaining(NODES));
  }
});
