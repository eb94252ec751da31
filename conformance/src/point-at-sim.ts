/**
 * Points every URL of a ccxt `urls.api` tree at the simulator: `https://<host>/<path>` → `http://<sim>/<path>` and
 * `wss://<host>[:port]/<path>` → `ws://<sim>/<path>`; paths, keys and everything else stay as ccxt has them (the
 * simulator serves each venue's paths on one port). Returns a new tree.
 */
export function pointAtSim(api: unknown, hostPort: string): unknown {
  if (typeof api === 'string') return api.replace(/^https:\/\/[^/]+/, `http://${hostPort}`).replace(/^wss:\/\/[^/]+/, `ws://${hostPort}`);
  if (Array.isArray(api)) return api.map((v) => pointAtSim(v, hostPort));
  if (typeof api === 'object' && api !== null) return Object.fromEntries(Object.entries(api).map(([k, v]) => [k, pointAtSim(v, hostPort)]));
  return api;
}
