import type { Counter, Gauge, Registry } from 'prom-client';
import { getOrCreateCounter, getOrCreateGauge } from '../metrics/registry';

export interface RuntimeConfigMetrics {
  invalid: Counter<string>;
  applied: Counter<string>;
  handlerErrors: Counter<string>;
  watchErrors: Counter<string>;
  revision: Gauge<string>;
  killSwitch: Gauge<string>;
}

export function runtimeConfigMetrics(registry: Registry): RuntimeConfigMetrics {
  return {
    invalid: getOrCreateCounter(registry, {
      name: 'runtime_config_invalid_total',
      help: 'Runtime config documents seen in the KV bucket that failed validation (ignored: the last good one stays)',
    }),
    applied: getOrCreateCounter(registry, { name: 'runtime_config_applied_total', help: 'Runtime config documents applied' }),
    handlerErrors: getOrCreateCounter(registry, {
      name: 'runtime_config_handler_errors_total',
      help: 'Runtime config change listeners that threw',
    }),
    watchErrors: getOrCreateCounter(registry, {
      name: 'runtime_config_watch_errors_total',
      help: 'Runtime config KV watch failures (the watch is re-established)',
    }),
    revision: getOrCreateGauge(registry, { name: 'runtime_config_revision', help: 'KV revision of the runtime config in force (0: default)' }),
    killSwitch: getOrCreateGauge(registry, { name: 'runtime_config_kill_switch', help: '1 while the runtime kill switch is on' }),
  };
}
