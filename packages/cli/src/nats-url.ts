import { loadConfig } from '@arb/service-kit';
import { Type } from '@sinclair/typebox';

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

const NatsSection = Type.Object(
  { nats: Type.Object({ url: Type.String({ minLength: 1 }) }, { additionalProperties: true }) },
  { additionalProperties: true },
);

/**
 * `--nats`, else `nats.url` of the config the services use (config/default.yaml + mode file + ARB_CONFIG_FILE +
 * ARB__NATS__URL), else ARB__NATS__URL alone (no config directory), else the local default.
 */
export function resolveNatsUrl(flag: string | undefined, env: Record<string, string | undefined>, cwd: string): string {
  if (flag !== undefined && flag !== '') return flag;
  try {
    return loadConfig(NatsSection, { env, cwd }).nats.url;
  } catch {
    const fromEnv = env.ARB__NATS__URL;
    return fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_NATS_URL;
  }
}
