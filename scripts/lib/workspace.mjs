import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export class WorkspaceNotBuiltError extends Error {
  name = 'WorkspaceNotBuiltError';
  constructor(message, options) {
    super(message, options);
  }
}

let loaded;

/**
 * The workspace libraries the scripts use, resolved the way the packages resolve them (pnpm does not hoist them to
 * the root): the NATS client and JetStream API, the built @arb/contracts (subject/stream builders, validators),
 * the built @arb/service-kit (config loader), TypeBox and big.js. Loaded on first call (nothing happens at import).
 * Throws WorkspaceNotBuiltError naming the fix when setup has not run.
 */
export function workspace() {
  if (loaded) return loaded;
  const fromKit = createRequire(join(root, 'packages', 'service-kit', 'package.json'));
  const fromDomain = createRequire(join(root, 'packages', 'domain', 'package.json'));
  for (const pkg of ['contracts', 'service-kit']) {
    if (!existsSync(join(root, 'packages', pkg, 'dist', 'index.js'))) {
      throw new WorkspaceNotBuiltError(`packages/${pkg} is not built: run \`node scripts/setup.mjs\` (npm start does) first`);
    }
  }
  try {
    loaded = {
      nats: fromKit('@nats-io/transport-node'),
      jetstream: fromKit('@nats-io/jetstream'),
      contracts: fromKit('@arb/contracts'),
      serviceKit: createRequire(join(root, 'packages', 'service-kit', 'dist', 'index.js'))('./index.js'),
      typebox: fromKit('@sinclair/typebox'),
      Big: fromDomain('big.js'),
    };
  } catch (cause) {
    throw new WorkspaceNotBuiltError(`workspace dependencies missing (${cause.message}): run \`node scripts/setup.mjs\` first`, { cause });
  }
  return loaded;
}
