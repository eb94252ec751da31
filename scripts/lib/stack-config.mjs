import { workspace } from './workspace.mjs';

/**
 * The merged configuration document the services will see for `mode` (config/default.yaml → <mode>.yaml →
 * ARB_CONFIG_FILE → ARB__* overrides), loaded with service-kit's own loader and no schema: start.mjs only reads a
 * few values (nats/redis URLs, venue endpoints, exchange-sim ports). Throws ConfigError on a broken file/override.
 */
export function loadStackConfig({ configDir, mode, env = process.env }) {
  const { serviceKit, typebox } = workspace();
  const anything = typebox.Type.Object({}, { additionalProperties: true });
  return serviceKit.loadConfigDetailed(anything, { dir: configDir, mode, env }).config;
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `a.b.c` of a config document, or undefined. */
export function configAt(config, path) {
  let node = config;
  for (const key of path.split('.')) {
    if (!isObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** Venues the stack trades/watches: `executor.venues` when set, else every venue under `venues:`. */
export function stackVenues(config) {
  const listed = configAt(config, 'executor.venues');
  const all = Object.keys(configAt(config, 'venues') ?? {});
  return Array.isArray(listed) && listed.length > 0 ? listed.filter((v) => typeof v === 'string') : all;
}

/** `{ venue, key, url }` for every configured REST and WebSocket endpoint of `venues`. */
export function venueEndpoints(config, venues = stackVenues(config)) {
  const out = [];
  for (const venue of venues) {
    for (const field of ['restUrl', 'wsUrl']) {
      const url = configAt(config, `venues.${venue}.${field}`);
      if (typeof url === 'string' && url !== '') out.push({ venue, key: `venues.${venue}.${field}`, url });
    }
  }
  return out;
}

/** `venues.binance.restUrl` → `ARB__VENUES__BINANCE__REST_URL` (the service-kit override naming). */
export function envNameFor(path) {
  return `ARB__${path
    .split('.')
    .map((s) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase())
    .join('__')}`;
}
