import { Type, type Static } from '@sinclair/typebox';
import { loadConfigDetailed } from '@arb/service-kit';

/** What the suite reads of the shared config: the sim accounts' client credentials (config/sim.yaml `credentials:`). */
export const SuiteConfig = Type.Object(
  {
    credentials: Type.Object(
      {
        binance: Type.Object({ apiKey: Type.String({ minLength: 1 }), secretKey: Type.String({ minLength: 1 }) }, { additionalProperties: true }),
        coinbase: Type.Object({ keyName: Type.String({ minLength: 1 }), privateKey: Type.String({ minLength: 1 }) }, { additionalProperties: true }),
      },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: true },
);
export type SuiteConfig = Static<typeof SuiteConfig>;

/** The sim-mode config (default.yaml + sim.yaml + ARB__ overrides): the throwaway keys of the sim's accounts. */
export function loadSuiteConfig(): { config: SuiteConfig; files: string[] } {
  const loaded = loadConfigDetailed(SuiteConfig, { mode: 'sim' });
  return { config: loaded.config, files: loaded.files };
}
