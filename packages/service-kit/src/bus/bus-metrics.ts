import type { Counter, Gauge, Registry } from 'prom-client';
import { getOrCreateCounter, getOrCreateGauge } from '../metrics/registry';

export interface BusMetrics {
  published: Counter<'schema'>;
  received: Counter<'schema'>;
  invalid: Counter<'schema'>;
  handlerErrors: Counter<'schema'>;
  connected: Gauge;
  reconnects: Counter;
  slowConsumers: Counter;
}

export function busMetrics(registry: Registry): BusMetrics {
  return {
    published: getOrCreateCounter(registry, {
      name: 'bus_published_total',
      help: 'Messages published on NATS (core and JetStream), by schema',
      labelNames: ['schema'],
    }),
    received: getOrCreateCounter(registry, {
      name: 'bus_received_total',
      help: 'Valid messages received and handed to a handler, by schema',
      labelNames: ['schema'],
    }),
    invalid: getOrCreateCounter(registry, {
      name: 'bus_invalid_messages_total',
      help: 'Received messages dropped because they were not JSON or failed schema validation, by schema',
      labelNames: ['schema'],
    }),
    handlerErrors: getOrCreateCounter(registry, {
      name: 'bus_handler_errors_total',
      help: 'Message handlers that threw or rejected, by schema',
      labelNames: ['schema'],
    }),
    connected: getOrCreateGauge(registry, { name: 'bus_connected', help: '1 while connected to NATS, else 0' }),
    reconnects: getOrCreateCounter(registry, { name: 'bus_reconnects_total', help: 'NATS reconnections' }),
    slowConsumers: getOrCreateCounter(registry, {
      name: 'bus_slow_consumer_events_total',
      help: 'NATS slow-consumer events (a subscription fell behind and messages may be dropped)',
    }),
  };
}
