// Services: are the processes up and healthy (scrape `up`, NATS connection, bus traffic, bad input, Redis errors,
// runtime config) and what they cost (CPU, memory, event-loop lag, GC). Sources: service-kit (bus_*, redis_*,
// runtime_config_*) and the Node process metrics every service registry collects.
import { dashboard, q, row, stat, timeseries } from './builders.mjs';

const RI = '$__rate_interval';

export default dashboard({
  uid: 'arb-services',
  title: 'Arb / Services',
  description: 'Process health: scrape targets, NATS/Redis connectivity, bus traffic and bad input, CPU, memory, event loop',
  tags: ['services'],
  panels: [
    row('Up'),
    stat('Targets up', [q('sum by (job) (up)', '{{job}}')], { w: 12, decimals: 0, description: 'Scrape targets answering, per job' }),
    stat('Connected to NATS', [q('sum by (job) (bus_connected)', '{{job}}')], { w: 12, decimals: 0, description: 'Processes with an open NATS connection, per job' }),
    row('Bus'),
    timeseries('Published (/s)', [q(`sum by (job, schema) (rate(bus_published_total[${RI}]))`, '{{job}} {{schema}}')], { unit: 'ops' }),
    timeseries('Received (/s)', [q(`sum by (job, schema) (rate(bus_received_total[${RI}]))`, '{{job}} {{schema}}')], { unit: 'ops' }),
    timeseries(
      'Bad input and trouble',
      [
        q(`sum by (job, schema) (increase(bus_invalid_messages_total[${RI}]))`, 'invalid {{job}} {{schema}}'),
        q(`sum by (job) (increase(bus_reconnects_total[${RI}]))`, 'NATS reconnects {{job}}'),
        q(`sum by (job) (increase(bus_slow_consumer_events_total[${RI}]))`, 'slow consumer {{job}}'),
        q(`sum by (job) (increase(redis_errors_total[${RI}]))`, 'Redis errors {{job}}'),
      ],
      { bars: true, description: 'Invalid messages are counted and dropped, never crash a service' },
    ),
    timeseries(
      'Runtime config (arb_config KV)',
      [q('max by (job) (runtime_config_revision)', 'revision {{job}}'), q('max by (job) (runtime_config_kill_switch)', 'kill switch {{job}}')],
      { w: 12, stepped: true },
    ),
    timeseries(
      'Runtime config documents',
      [
        q(`sum by (job) (increase(runtime_config_applied_total[${RI}]))`, 'applied {{job}}'),
        q(`sum by (job) (increase(runtime_config_invalid_total[${RI}]))`, 'invalid {{job}}'),
      ],
      { w: 12, bars: true },
    ),
    row('Resources'),
    timeseries('CPU (cores)', [q(`sum by (job, instance) (rate(process_cpu_seconds_total[${RI}]))`, '{{job}} {{instance}}')], { unit: 'short' }),
    timeseries('Resident memory', [q('sum by (job, instance) (process_resident_memory_bytes)', '{{job}} {{instance}}')], { unit: 'bytes' }),
    timeseries('Event-loop lag p99', [q('max by (job, instance) (nodejs_eventloop_lag_p99_seconds)', '{{job}} {{instance}}')], { unit: 's' }),
    timeseries('GC time (s/s)', [q(`sum by (job, instance) (rate(nodejs_gc_duration_seconds_sum[${RI}]))`, '{{job}} {{instance}}')], { w: 12, unit: 'percentunit' }),
    timeseries('Heap used', [q('sum by (job, instance) (nodejs_heap_size_used_bytes)', '{{job}} {{instance}}')], { w: 12, unit: 'bytes' }),
  ],
});
