import { configAt, envNameFor } from './stack-config.mjs';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * exchange-sim listens on fixed ports (config `sim.control.port`, `sim.venues.<venue>.port`) that the venue URLs of
 * config/sim.yaml point at. A taken port is replaced by a free one (`choosePort`, see infra.mjs) and handed to every
 * service as ARB__ overrides: the sim's port and the matching loopback `venues.<venue>.wsUrl/restUrl`.
 * Returns `{ env, notes }` (notes: one line per moved port).
 */
export async function relocateSimPorts(config, choosePort) {
  const env = {};
  const notes = [];
  const venues = Object.keys(configAt(config, 'sim.venues') ?? {});
  const ports = [{ path: 'sim.control.port' }, ...venues.map((venue) => ({ path: `sim.venues.${venue}.port`, venue }))];
  for (const { path, venue } of ports) {
    const wanted = configAt(config, path);
    if (!Number.isInteger(wanted) || wanted <= 0) continue;
    const { port, moved } = await choosePort(wanted);
    if (!moved) continue;
    env[envNameFor(path)] = String(port);
    notes.push(`port ${wanted} (${path}) is taken: exchange-sim uses ${port} instead`);
    if (venue === undefined) continue;
    for (const field of ['wsUrl', 'restUrl']) {
      const key = `venues.${venue}.${field}`;
      const url = configAt(config, key);
      if (typeof url !== 'string') continue;
      let u;
      try {
        u = new URL(url);
      } catch {
        continue;
      }
      if (Number(u.port) !== wanted || !LOOPBACK.has(u.hostname)) continue;
      u.port = String(port);
      env[envNameFor(key)] = u.toString().replace(/\/$/, '');
    }
  }
  return { env, notes };
}
