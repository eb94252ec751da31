/**
 * docker-compose.nats-cluster.yml merged onto docker-compose.yml the way `docker compose -f a -f b` merges them (maps
 * merged key by key, sequences such as `command` replaced), then checked against the Compose Specification's schema
 * and for what a cluster needs: three nodes with distinct names, routes to each other, a store each, every node run as
 * the single server is (nats.conf with its users, passwords from .env, unprivileged), and every service that uses NATS
 * given all three URLs with its own user's credentials and 3 replicas.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { natsServerList, splitServerCredentials } from '@arb/service-kit';
import { parse } from 'yaml';
import { composeValidator, formatErrors } from './lib/compose-schema';
import { isObject, objAt, type Json, type JsonObject } from './lib/json';
import { natsUsers } from './lib/nats-conf';
import { ROOT } from './lib/render';

const load = (file: string): JsonObject => parse(readFileSync(join(ROOT, file), 'utf8'), { merge: true }) as JsonObject;

/** Compose's merge of an override file: mappings merged recursively, everything else replaced. */
function merge(base: Json, over: Json): Json {
  if (!isObject(base) || !isObject(over)) return over;
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? merge(base[k] as Json, v as Json) : v;
  return out;
}

const single = load('docker-compose.yml');
const compose = merge(single, load('docker-compose.nats-cluster.yml')) as JsonObject;
const services = objAt(compose, 'services') ?? {};
const service = (name: string): JsonObject => objAt(services, name) ?? {};
const NODES = ['nats', 'nats-2', 'nats-3'];
const arg = (cmd: string[], flag: string): string | undefined => cmd[cmd.indexOf(flag) + 1];
const strings = (v: Json | undefined): string[] => (Array.isArray(v) ? v.map(String) : []);
const natsConf = readFileSync(join(ROOT, 'k8s/base/nats/nats.conf'), 'utf8');
const REQUIRED = ':?run node deploy/compose/make-env.mjs';
/** Compose's interpolation of `${VAR}` / `${VAR:?hint}` with a .env giving every variable its own stand-in value. */
const interpolate = (v: string): string => v.replace(/\$\{([A-Z_][A-Z0-9_]*)(:?[?-][^}]*)?\}/g, (_m, name: string) => `pw-${name.toLowerCase()}`);
/** What a service does with ARB__NATS__URL (service-kit's own parsing): the servers, and the one user/password. */
const natsLogin = (env: JsonObject): ReturnType<typeof splitServerCredentials> => splitServerCredentials(natsServerList(interpolate(String(env.ARB__NATS__URL))));

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
    // The single server's configuration (users, permissions, JetStream on /data, monitor on loopback), nothing less.
    expect(cmd.slice(0, 2)).toEqual(['-c', '/etc/nats/nats.conf']);
    expect(strings(s.volumes)).toContain('./k8s/base/nats/nats.conf:/etc/nats/nats.conf:ro');
    expect(cmd.some((a) => /^(-m|--http_port|-ms|--https_port|-js|-sd|--user|--pass|--auth)$/.test(a))).toBe(false);
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
  expect(/jetstream\s*\{[^}]*store_dir:\s*\/data\b/.test(natsConf.replace(/#[^\n]*/g, ''))).toBe(true);
});

test('every node as the single server: every password from .env, unprivileged, its volume given to that user first, nothing but 4222 published', () => {
  const users = natsUsers(natsConf);
  for (const node of NODES) {
    const s = service(node);
    const env = objAt(s, 'environment') ?? {};
    expect([node, Object.keys(env).sort()]).toEqual([node, users.map((u) => u.passwordVariable).sort()]);
    for (const u of users) expect([node, env[u.passwordVariable]]).toEqual([node, `\${${u.passwordVariable}${REQUIRED}}`]);
    expect([node, s.user, s.read_only, strings(s.cap_drop), strings(s.security_opt)]).toEqual([node, '1000:1000', true, ['ALL'], ['no-new-privileges:true']]);
    expect([node, strings(s.ports)]).toEqual([node, node === 'nats' ? ['127.0.0.1:4222:4222'] : []]);
    // A one-shot it waits for chowns the node's data volume to 1000:1000 (a new volume is root's).
    const data = strings(s.volumes).find((v) => v.endsWith(':/data'));
    const owners = Object.keys(objAt(s, 'depends_on') ?? {}).filter((d) => strings(service(d).volumes).includes(String(data)));
    expect([node, owners.map((o) => strings(service(o).entrypoint))]).toEqual([node, [['chown', '1000:1000', '/data']]]);
    expect(String(objAt(s, 'healthcheck')?.test)).toContain('http://127.0.0.1:8222/healthz');
  }
});

test('every service that uses NATS connects to all three nodes as its own user, provisions 3 replicas and waits for every node', () => {
  const nats = (c: JsonObject): string[] => Object.keys(objAt(c, 'services') ?? {}).filter((n) => objAt(objAt(objAt(c, 'services'), n), 'environment')?.ARB__NATS__URL !== undefined);
  const arb = nats(single);
  expect(arb.length).toBeGreaterThanOrEqual(6);
  expect(nats(compose).sort()).toEqual([...arb].sort()); // exchange-sim uses no NATS and gets no URL
  const passwordVariable = new Map(natsUsers(natsConf).map((u) => [u.user, u.passwordVariable]));
  const users = new Set<string>();
  for (const name of arb) {
    const env = objAt(service(name), 'environment') ?? {};
    const login = natsLogin(env);
    expect([name, login.servers.map((u) => `${new URL(u).hostname}:${new URL(u).port}`)]).toEqual([name, NODES.map((n) => `${n}:4222`)]);
    // The same user and password as on the single server, which are this service's own (its NATS user's variable).
    const own = natsLogin(objAt(objAt(objAt(single, 'services'), name), 'environment') ?? {});
    expect([name, login.user, login.pass]).toEqual([name, own.user, own.pass]);
    expect([name, login.pass]).toEqual([name, `pw-${String(passwordVariable.get(String(login.user))).toLowerCase()}`]);
    users.add(String(login.user));
    expect(String(env.ARB__NATS__URL)).toContain(REQUIRED);
    expect(env.ARB__NATS__REPLICAS).toBe('3');
    expect(env.ARB_MODE).toBe('sim'); // the base file's environment is kept, only NATS is overridden
    const deps = Object.keys(objAt(service(name), 'depends_on') ?? {});
    expect(deps).toEqual(expect.arrayContaining(NODES));
  }
  expect(users.size).toBe(arb.length); // no two services share a NATS user
});
