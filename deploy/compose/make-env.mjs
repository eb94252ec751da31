#!/usr/bin/env node
// Writes the passwords docker-compose.yml needs into .env at the repository root (git- and docker-ignored, mode 0600):
// NATS_<USER>_PASSWORD for every user of k8s/base/nats/nats.conf and REDIS_<USER>_PASSWORD for every ACL user of
// k8s/base/redis/users.acl, random (24 bytes, hex: URL-safe, they go into nats://user:password@... URLs); for
// docker-compose.redis-sentinel.yml also the replication and Sentinel users of k8s/redis-sentinel/replication.acl and
// REDIS_SENTINELS_PASSWORD (the Sentinels' own password; unused by the single server). Keeps the values already in
// .env; adds the missing ones.
//   node deploy/compose/make-env.mjs            then: docker compose -p arb up -d --build
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The Sentinels' own password (requirepass; the services' redis.sentinel.password), Secret key `sentinels` in k8s. */
export const SENTINELS_PASSWORD = 'REDIS_SENTINELS_PASSWORD';

/**
 * The password variables the compose files read, derived from the NATS config and the Redis ACL templates (base's
 * users.acl, then k8s/redis-sentinel/replication.acl), plus the Sentinels' own when the Sentinel template is given.
 */
export function composePasswordVariables(natsConf, aclTemplate, sentinelAclTemplate) {
  const nats = [...natsConf.replace(/#[^\n]*/g, '').matchAll(/password\s*:\s*\$([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]);
  const redis = [...aclTemplate.matchAll(/^user (\S+) /gm)]
    .map((m) => m[1])
    .filter((u) => u !== 'default')
    .map((u) => `REDIS_${u.toUpperCase().replace(/-/g, '_')}_PASSWORD`);
  if (sentinelAclTemplate === undefined) return [...nats, ...redis];
  const sentinel = [...sentinelAclTemplate.matchAll(/^user (\S+) /gm)].map((m) => `REDIS_${m[1].toUpperCase().replace(/-/g, '_')}_PASSWORD`);
  return [...nats, ...redis, ...sentinel, SENTINELS_PASSWORD];
}

function main() {
  const file = join(root, '.env');
  const read = (path) => readFileSync(join(root, path), 'utf8');
  const vars = composePasswordVariables(read('k8s/base/nats/nats.conf'), read('k8s/base/redis/users.acl'), read('k8s/redis-sentinel/replication.acl'));
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const have = new Set([...current.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]));
  const added = vars.filter((v) => !have.has(v));
  const lines = added.map((v) => `${v}=${randomBytes(24).toString('hex')}`);
  const text = current === '' ? `# docker compose passwords (node deploy/compose/make-env.mjs). Keep this file private.\n${lines.join('\n')}\n` : `${current.replace(/\n?$/, '\n')}${lines.join('\n')}${lines.length > 0 ? '\n' : ''}`;
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
  process.stdout.write(`${file}: ${added.length} password(s) added${added.length > 0 ? ` (${added.join(', ')})` : ''}, ${vars.length - added.length} kept\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
