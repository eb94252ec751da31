/**
 * docker-compose.scale-out.yml merged onto docker-compose.yml the way `docker compose -f a -f b` merges them (and
 * `extends` resolved the way Compose does: the named service of the named file, this service's keys merged on top),
 * then checked against the Compose Specification's schema and for the topology k8s/scale-out expresses too: two
 * feed-ingestor shards per venue whose configs, loaded through the feed-ingestor's own schema from each service's
 * environment, serve disjoint symbol sets covering every configured symbol, each with the venue's NATS user; the
 * detector as 2 replicas in dynamic mode (through the detector's schema); 3 executors; every arb service on the
 * 100-symbol universe (the shipped two symbols both fall in shard 1 of 2).
 */
import { existsSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { composeValidator, formatErrors } from './lib/compose-schema';
import { isObject, objAt, type Json, type JsonObject } from './lib/json';
import { ROOT } from './lib/render';
import { detectorPartitionOf, feedShardOf, shardProblems, type Env } from './lib/scale-out';

const load = (file: string): JsonObject => parse(readFileSync(join(ROOT, file), 'utf8'), { merge: true }) as JsonObject;

/** Compose's merge of an override file: mappings merged recursively, everything else replaced. */
function merge(base: Json, over: Json): Json {
  if (!isObject(base) || !isObject(over)) return over;
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? merge(base[k] as Json, v as Json) : v;
  return out;
}

const VENUES = ['binance', 'coinbase'] as const;
const override = load('docker-compose.scale-out.yml');
const compose = merge(load('docker-compose.yml'), override) as JsonObject;
const service = (name: string): JsonObject => objAt(objAt(compose, 'services'), name) ?? {};
/** A service with its `extends` resolved (what Compose runs). */
function resolved(name: string): JsonObject {
  const s = service(name);
  const ext = objAt(s, 'extends');
  if (ext === undefined) return s;
  const from = objAt(objAt(load(String(ext.file)), 'services'), String(ext.service));
  if (from === undefined) throw new Error(`${name} extends ${String(ext.service)} of ${String(ext.file)}: no such service`);
  const { extends: _ignored, ...own } = s;
  return merge(from, own) as JsonObject;
}
/** Compose's interpolation with a .env giving every variable its own stand-in value. */
const interpolate = (v: string): string => v.replace(/\$\{([A-Z_][A-Z0-9_]*)(:?[?-][^}]*)?\}/g, (_m, name: string) => `pw-${name.toLowerCase().replace(/_/g, '-')}`);
const envOf = (name: string): Env => Object.fromEntries(Object.entries(objAt(resolved(name), 'environment') ?? {}).map(([k, v]) => [k, interpolate(String(v))]));
const feedServices = Object.keys(objAt(compose, 'services') ?? {}).filter((n) => /^feed-ingestor-/.test(n));

test('the merged file is valid against the Compose Specification schema, and so is the override alone', () => {
  const validate = composeValidator();
  for (const doc of [compose, override]) {
    const ok = validate(doc);
    expect(formatErrors(validate.errors)).toEqual([]);
    expect(ok).toBe(true);
  }
});

test('two feed-ingestor shards per venue, each the venue service of docker-compose.yml with its partition', () => {
  expect(feedServices.sort()).toEqual(VENUES.flatMap((v) => [`feed-ingestor-${v}`, `feed-ingestor-${v}-1`]).sort());
  for (const v of VENUES) {
    const base = objAt(load('docker-compose.yml'), 'services')?.[`feed-ingestor-${v}`] as JsonObject;
    for (const name of [`feed-ingestor-${v}`, `feed-ingestor-${v}-1`]) {
      const s = resolved(name);
      // Everything but the environment as the venue's service (image, command, hardening, healthcheck, depends_on).
      const { environment: env, ...rest } = s;
      const { environment: baseEnv, ...baseRest } = base;
      expect([name, rest]).toEqual([name, baseRest]);
      const { ARB__FEED__PARTITION__INDEX: index, ARB__FEED__PARTITION__COUNT: count, ARB_CONFIG_FILE: _file, ...others } = env as JsonObject;
      expect([name, others]).toEqual([name, baseEnv]);
      expect([name, index, count]).toEqual([name, name.endsWith('-1') ? '1' : '0', '2']);
      // The venue's NATS user, as in docker-compose.yml.
      const url = new URL(envOf(name).ARB__NATS__URL ?? '');
      expect([name, url.username, url.password]).toEqual([name, `feed-${v}`, `pw-nats-feed-${v}-password`]);
    }
  }
});

test("the feed-ingestors' configs, as their main loads them: per venue, disjoint shards serving every configured symbol", () => {
  const shards = feedServices.map((name) => feedShardOf(name, envOf(name)));
  expect(shardProblems(shards)).toEqual([]);
  for (const v of VENUES) {
    const of = shards.filter((s) => s.venue === v);
    expect([v, of.length]).toEqual([v, 2]);
    for (const s of of) expect([s.where, s.symbols.length > 0, s.symbols.length < s.universe.length]).toEqual([s.where, true, true]);
  }
});

test('every service of the arb-system image reads config/symbols-100.yaml; with the shipped two symbols, shard 0 of 2 would own none', () => {
  const arb = Object.keys(objAt(compose, 'services') ?? {}).filter((n) => resolved(n).image === 'arb-system:dev');
  expect(arb.length).toBeGreaterThanOrEqual(9);
  for (const name of arb) expect([name, envOf(name).ARB_CONFIG_FILE]).toEqual([name, 'config/symbols-100.yaml']);
  expect(existsSync(join(ROOT, 'config/symbols-100.yaml'))).toBe(true);
  const { ARB_CONFIG_FILE: _file, ...shipped } = envOf('feed-ingestor-binance');
  expect(() => feedShardOf('feed-ingestor-binance', shipped)).toThrow(/owns none/);
});

test('docker-compose.yml alone: one feed-ingestor per venue serving every symbol (the shard check sees a missing shard)', () => {
  const single = objAt(load('docker-compose.yml'), 'services') ?? {};
  const envs = VENUES.map((v) => {
    const env = Object.fromEntries(Object.entries(objAt(single[`feed-ingestor-${v}`] as JsonObject, 'environment') ?? {}).map(([k, x]) => [k, interpolate(String(x))]));
    return feedShardOf(`feed-ingestor-${v}`, env);
  });
  expect(shardProblems(envs)).toEqual([]);
  // Shard 0 of 2 without its shard 1 leaves symbols unserved: the check above can fail.
  const half = feedShardOf('feed-ingestor-binance', envOf('feed-ingestor-binance'));
  expect(shardProblems([half]).length).toBeGreaterThan(0);
  expect(shardProblems([half, half]).some((p) => /served by .* and /.test(p))).toBe(true);
});

test('the detector: 2 replicas in dynamic mode (through its config schema); 3 executors', () => {
  expect(detectorPartitionOf(envOf('detector')).mode).toBe('dynamic');
  expect(objAt(service('detector'), 'deploy')?.replicas).toBe(2);
  expect(service('detector').ports).toBeUndefined(); // replicas of one service cannot share a host port
  expect(objAt(service('executor'), 'deploy')?.replicas).toBe(3);
  // Without the override the detector is one static replica.
  const single = objAt(objAt(load('docker-compose.yml'), 'services'), 'detector') ?? {};
  expect(detectorPartitionOf(Object.fromEntries(Object.entries(objAt(single, 'environment') ?? {}).map(([k, x]) => [k, interpolate(String(x))]))).mode).toBe('static');
});
