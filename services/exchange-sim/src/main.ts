import { loadConfig, runService } from '@arb/service-kit';
import { checkSimConfig } from './config/parse';
import { ExchangeSimServiceConfig } from './config/schema';
import { startExchangeSim } from './sim';

/**
 * exchange-sim process: loads config (`sim:` section), starts the venues and the control server,
 * prints one line `{"event":"listening","binance":{"port":P},"coinbase":{"port":P},"control":{"port":P}}`
 * on stdout, and stops cleanly on SIGTERM/SIGINT.
 */
void runService('exchange-sim', async (ctx) => {
  const cfg = loadConfig(ExchangeSimServiceConfig);
  checkSimConfig(cfg.sim);
  ctx.logger.level = cfg.log.level;
  const sim = await startExchangeSim(cfg.sim, { registry: ctx.registry, logger: ctx.logger });
  ctx.onShutdown('exchange-sim', () => sim.stop());
  const { binance, coinbase, control } = sim.ports;
  process.stdout.write(`${JSON.stringify({ event: 'listening', binance: { port: binance }, coinbase: { port: coinbase }, control: { port: control } })}\n`);
  ctx.logger.info({ ports: sim.ports, seed: cfg.sim.seed, symbols: sim.market.symbols }, 'exchange-sim listening');
});
