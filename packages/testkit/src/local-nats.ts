import { requireBinary } from './binaries';
import { startLocalServer } from './local-server';
import { probeNats } from './probes';
import type { NatsHandle, NatsOptions } from './types';

/** nats-server on a free port of 127.0.0.1; JetStream (on by default) stores under a temp dir. */
export async function startLocalNats(opts: NatsOptions = {}): Promise<NatsHandle> {
  const jetstream = opts.jetstream ?? true;
  const server = await startLocalServer({
    name: 'nats-server',
    binary: requireBinary('nats-server'),
    dirPrefix: 'arb-testkit-nats-',
    args: (port, dir) => [...(jetstream ? ['-js', '-sd', dir] : []), '-a', '127.0.0.1', '-p', String(port), ...(opts.args ?? [])],
    // Ready once it sends INFO: nats-server opens the client port only after JetStream is up.
    probe: (host, port) => probeNats(host, port, 1000, { ping: false }),
    url: (host, port) => `nats://${host}:${port}`,
  });
  return Object.assign(server, { storeDir: server.dir });
}
