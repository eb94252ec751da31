/**
 * docker-compose.redis-sentinel.yml merged onto docker-compose.yml the way `docker compose -f a -f b` merges them, then
 * checked against the Compose Specification's schema and for what the Sentinel topology needs: three data nodes and
 * three Sentinels, each run by the shared scripts of k8s/redis-sentinel with base's Redis files, every password from
 * .env (and make-env.mjs generating each), unprivileged, and the detector and the executor configured (as service-kit
 * loads their environment) to find the primary through the three Sentinels with their password and ackReplicas 1.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig } from '@arb/service-kit';
import { parse } from 'yaml';
import { composeValidator, formatErrors } from './lib/compose-schema';
import { isObject, objAt, type Json, type JsonObject } from './lib/json';
import { ROOT } from './lib/render';
import { DetectorConfig } from '../../services/detector/src/config';
import { ExecutorConfig } from '../../services/executor/src/config';

const load = (file: string): JsonObject => parse(readFileSync(join(ROOT, file), 'utf8'), { merge: true }) as JsonObject;

/** Compose's merge of an override file: mappings merged recursively, everything else replaced. */
function merge(base: Json, over: Json): Json {
  if (!isObject(base) || !isObject(over)) return over;
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? merge(base[k] as Json, v as Json) : v;
  return out;
}

const single = load('docker-compose.yml');
const compose = merge(single, load('docker-compose.redis-sentinel.yml')) as JsonObject;
const service = (name: string): JsonObject => objAt(objAt(compose, 'services'), name) ?? {};
const strings = (v: Json | undefined): string[] => (Array.isArray(v) ? v.map(String) : []);
const NODES = ['redis', 'redis-2', 'redis-3'];
const SENTINELS = ['sentinel-1', 'sentinel-2', 'sentinel-3'];
const REQUIRED = ':?run node deploy/compose/make-env.mjs';
const baseAcl = readFileSync(join(ROOT, 'k8s/base/redis/users.acl'), 'utf8');
const sentinelAcl = readFileSync(join(ROOT, 'k8s/redis-sentinel/replication.acl'), 'utf8');
const usersOf = (acl: string): string[] => [...acl.matchAll(/^user (\S+) /gm)].map((m) => m[1] as string).filter((u) => u !== 'default');
const varOf = (user: string): string => `REDIS_${user.toUpperCase().replace(/-/g, '_')}_PASSWORD`;
/** Every password the topology needs: base's users, replication and sentinel, and the Sentinels' own. */
const PASSWORDS = [...usersOf(baseAcl), ...usersOf(sentinelAcl)].map(varOf).concat('REDIS_SENTINELS_PASSWORD');
/** Compose's interpolation with a .env giving every variable its own stand-in value. */
const interpolate = (v: string): string => v.replace(/\$\{([A-Z_][A-Z0-9_]*)(:?[?-][^}]*)?\}/g, (_m, name: string) => `pw-${name.toLowerCase().replace(/_/g, '-')}`);

test('the merged file is valid against the Compose Specification schema', () => {
  const validate = composeValidator();
  const ok = validate(compose);
  expect(formatErrors(validate.errors)).toEqual([]);
  expect(ok).toBe(true);
});

test('the ACL templates add exactly the users replication and sentinel, with the rules Redis documents and no key access', () => {
  expect(usersOf(sentinelAcl)).toEqual(['replication', 'sentinel']);
  expect(sentinelAcl).toMatch(/^user replication on resetkeys resetchannels -@all \+psync \+replconf \+ping$/m);
  const sentinel = sentinelAcl.split('\n').find((l) => l.startsWith('user sentinel ')) ?? '';
  expect(sentinel).toMatch(/ resetkeys /);
  expect(sentinel).not.toMatch(/~|\+@all|flushall|flushdb|\+@dangerous/i);
  for (const c of ['+multi', '+slaveof', '+ping', '+exec', '+subscribe', '+config|rewrite', '+role', '+publish', '+info', '+client|setname', '+client|kill', '+script|kill']) expect(sentinel.split(' ')).toContain(c);
});

test('three data nodes run by redis-node.sh with base files, every password from .env, unprivileged, a volume each; only redis is published', () => {
  const volumes = new Set<string>();
  for (const name of NODES) {
    const s = service(name);
    expect([name, s.image, s.user, s.read_only, strings(s.cap_drop), strings(s.security_opt)]).toEqual([name, 'redis:7-alpine', '999:999', true, ['ALL'], ['no-new-privileges:true']]);
    expect(strings(s.entrypoint)).toEqual(['sh', '/etc/redis-sentinel/redis-node.sh', '/etc/redis', '/etc/redis-sentinel', '/run/redis', '--', 'redis-server', '/run/redis/node.conf']);
    expect(strings(s.tmpfs)).toEqual(['/run/redis:uid=999,gid=999,mode=0700']);
    const v = strings(s.volumes);
    expect(v).toEqual(expect.arrayContaining(['./k8s/base/redis:/etc/redis:ro', './k8s/redis-sentinel:/etc/redis-sentinel:ro']));
    const data = v.find((x) => x.endsWith(':/data'));
    expect(data).toBeDefined();
    volumes.add(String(data).split(':')[0] ?? '');
    const env = objAt(s, 'environment') ?? {};
    for (const p of PASSWORDS) expect([name, env[p]]).toEqual([name, `\${${p}${REQUIRED}}`]);
    expect([name, env.REDIS_ANNOUNCE_HOST, env.REDIS_INITIAL_PRIMARY]).toEqual([name, name, 'redis:6379']);
    expect(String(env.REDIS_SENTINELS).split(' ')).toEqual(SENTINELS.map((x) => `${x}:26379`));
    expect(strings(objAt(s, 'healthcheck')?.test).join(' ')).toMatch(/REDISCLI_AUTH="\$\$REDIS_HEALTHCHECK_PASSWORD" redis-cli --user healthcheck/);
    expect([name, strings(s.ports)]).toEqual([name, name === 'redis' ? ['127.0.0.1:6379:6379'] : []]);
  }
  expect(volumes.size).toBe(3);
  expect(volumes).toContain('redis-data'); // the single server's data: the initial primary keeps it
  for (const v of volumes) expect(Object.keys(objAt(compose, 'volumes') ?? {})).toContain(v);
});

test('three Sentinels run by sentinel.sh: their own and the monitoring password from .env, unprivileged, nothing published', () => {
  for (const name of SENTINELS) {
    const s = service(name);
    expect([name, s.image, s.user, s.read_only, strings(s.cap_drop), strings(s.security_opt)]).toEqual([name, 'redis:7-alpine', '999:999', true, ['ALL'], ['no-new-privileges:true']]);
    expect(strings(s.entrypoint)).toEqual(['sh', '/etc/redis-sentinel/sentinel.sh', '/etc/redis-sentinel', '/run/sentinel', '--', 'redis-server', '/run/sentinel/sentinel.conf', '--sentinel']);
    expect(strings(s.tmpfs)).toEqual(['/run/sentinel:uid=999,gid=999,mode=0700']);
    expect(strings(s.volumes)).toEqual(['./k8s/redis-sentinel:/etc/redis-sentinel:ro']);
    const env = objAt(s, 'environment') ?? {};
    for (const p of ['REDIS_SENTINEL_PASSWORD', 'REDIS_SENTINELS_PASSWORD']) expect([name, env[p]]).toEqual([name, `\${${p}${REQUIRED}}`]);
    expect([name, env.REDIS_ANNOUNCE_HOST, env.REDIS_INITIAL_PRIMARY]).toEqual([name, name, 'redis:6379']);
    expect(strings(objAt(s, 'healthcheck')?.test).join(' ')).toMatch(/REDISCLI_AUTH="\$\$REDIS_SENTINELS_PASSWORD" redis-cli -p 26379/);
    expect(s.ports).toBeUndefined();
  }
  const template = readFileSync(join(ROOT, 'k8s/redis-sentinel/sentinel.conf'), 'utf8');
  expect(template).toMatch(/^port 26379$/m);
  expect(template).toMatch(/^sentinel monitor arb @PRIMARY_HOST@ @PRIMARY_PORT@ 2$/m);
  expect(template).not.toMatch(/^(requirepass|sentinel auth-pass|masterauth) /m);
});

test('no password on a command line; make-env.mjs generates every password the files use', () => {
  const text = readFileSync(join(ROOT, 'docker-compose.redis-sentinel.yml'), 'utf8');
  const used = new Set([...text.matchAll(/\$\{([A-Z_][A-Z0-9_]*PASSWORD)(:[?-][^}]*)?\}/g)].map((m) => m[1] as string));
  for (const m of text.matchAll(/\$\{([A-Z_][A-Z0-9_]*PASSWORD)(:[?-][^}]*)?\}/g)) expect([m[1], m[2]]).toEqual([m[1], REQUIRED]);
  expect([...used].sort()).toEqual([...PASSWORDS].sort());
  for (const name of [...NODES, ...SENTINELS, 'detector', 'executor']) {
    const argv = [...strings(service(name).command), ...strings(service(name).entrypoint)].join(' ');
    expect([name, /requirepass|masterauth|auth-pass|PASSWORD|change-me/.test(argv)]).toEqual([name, false]);
  }
  // make-env.mjs run for real on a copy of the files it reads: .env gets every variable of both compose files.
  const dir = mkdtempSync(join(tmpdir(), 'arb-make-env-'));
  try {
    for (const f of ['deploy/compose/make-env.mjs', 'k8s/base/nats/nats.conf', 'k8s/base/redis/users.acl', 'k8s/redis-sentinel/replication.acl']) {
      mkdirSync(join(dir, dirname(f)), { recursive: true });
      cpSync(join(ROOT, f), join(dir, f));
    }
    const r = spawnSync(process.execPath, [join(dir, 'deploy/compose/make-env.mjs')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const env = readFileSync(join(dir, '.env'), 'utf8');
    const vars = new Map([...env.matchAll(/^([A-Z_][A-Z0-9_]*)=([0-9a-f]{48})$/gm)].map((m) => [m[1] as string, m[2] as string]));
    for (const v of used) expect([v, vars.has(v)]).toEqual([v, true]);
    expect(new Set(vars.values()).size).toBe(vars.size);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the detector and the executor, as service-kit loads their environment: their own ACL login, the three Sentinels, their password, ackReplicas 1', () => {
  for (const name of ['detector', 'executor'] as const) {
    const s = service(name);
    const env = Object.fromEntries(Object.entries(objAt(s, 'environment') ?? {}).map(([k, v]) => [k, interpolate(String(v))]));
    // Each service's own config schema, as its main loads it.
    const { redis } = name === 'executor' ? loadConfig(ExecutorConfig, { dir: join(ROOT, 'config'), env }) : loadConfig(DetectorConfig, { dir: join(ROOT, 'config'), env });
    expect([name, redis.sentinel.nodes]).toEqual([name, SENTINELS.map((x) => `${x}:26379`)]);
    expect([name, redis.sentinel.password, redis.sentinel.ackReplicas]).toEqual([name, 'pw-redis-sentinels-password', 1]);
    const url = new URL(redis.url);
    expect([name, url.username, url.password]).toEqual([name, name, `pw-redis-${name}-password`]);
    expect([name, env.ARB_MODE]).toEqual([name, 'sim']); // the base file's environment is kept
    expect(Object.keys(objAt(s, 'depends_on') ?? {})).toEqual(expect.arrayContaining([...SENTINELS, 'redis']));
  }
});
