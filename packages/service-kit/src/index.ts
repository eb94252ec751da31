export { ConfigError, BusError, ProvisionError, ShutdownHookError, TimeoutError } from './errors';
export { nowMs, sleep, withTimeout } from './time';

export { loadConfig, loadConfigDetailed, validateConfig, type LoadConfigOptions, type LoadedConfig } from './config/load-config';

export { createLogger, type Logger, type Level, type LoggerOptions } from './log/logger';
export { createRateLimitedLog, type RateLimitedLog, type RateLimitedLogOptions } from './log/rate-limited-log';
export { isSecretKey, redactUrlCredentials, redactValue, REDACTED, SECRET_KEY_PATTERN } from './log/redact';

export {
  createMetricsRegistry,
  getOrCreateCounter,
  getOrCreateGauge,
  getOrCreateHistogram,
  Registry,
  type MetricsRegistryOptions,
} from './metrics/registry';
export { startHttpServer, type HttpServer, type HttpServerOptions, type RouteHandler } from './http/http-server';

export { connectBus, inboxPrefixOf, type Bus, type BusOptions, type PublishJsOptions } from './bus/bus';
export { natsServerList } from './bus/server-list';
export { splitServerCredentials } from './bus/server-urls';
export { NatsSection } from './config/nats-section';
export type { BusSubscription, MessageHandler, SubscribeOptions } from './bus/subscribe';

export { provisionJetStream, type ProvisionResult } from './jetstream/provision';
export { ensureStream, type ProvisionAction, type DesiredStream } from './jetstream/ensure-stream';
export { ensureConsumer, type DurableConsumerConfig } from './jetstream/ensure-consumer';
export { readStream } from './jetstream/read-stream';
export {
  defaultJetStreamSpec,
  resolveJetStreamSpec,
  replicatedSpec,
  type JetStreamSpec,
  type JetStreamSpecOverrides,
  type StreamSpec,
  type BucketSpec,
  type AgingBucketSpec,
} from './jetstream/spec';

export { createRedis, quitRedis, redisReady, type Redis, type RedisClientOptions } from './redis/create-redis';
export { redisConnection, type RedisConnection } from './redis/connection';
export { RedisSection, RedisSentinelSection } from './config/redis-section';

export { Lifecycle, SHUTDOWN_PHASES, type LifecycleOptions, type ShutdownHookOptions, type ShutdownPhase } from './lifecycle/lifecycle';
export { runService, type RunServiceOptions } from './lifecycle/run-service';

export {
  RuntimeConfigStore,
  type RuntimeConfigStoreOptions,
  type RuntimeConfigEntry,
  type UpdateOptions as RuntimeConfigUpdateOptions,
  type UpdateResult as RuntimeConfigUpdateResult,
} from './runtime-config/store';
export type { RuntimeConfigChange, RuntimeConfigListener, RuntimeConfigWatch } from './runtime-config/watch';
export { RuntimeConfigConflictError, RuntimeConfigInvalidError, RuntimeConfigUnavailableError } from './runtime-config/errors';
export {
  DEFAULT_VARIANT,
  defaultRuntimeConfig,
  runtimeConfigIssues,
  assertRuntimeConfig,
  decodeRuntimeConfig,
  parseRuntimeConfigText,
  parseYamlForSchema,
} from './runtime-config/document';
export { resolveParams } from './runtime-config/resolve-params';
export { assignVariant, hashKey, unitInterval, routeVariantKey } from './runtime-config/assign-variant';
export { diffConfig, formatChanges, type ConfigChange } from './runtime-config/diff';
export { createServiceContext, type ServiceContext, type ServiceContextParts } from './lifecycle/service-context';

export { MembershipError } from './ownership/errors';
export { GroupMembership, memberIdFor, type GroupMembershipOptions, type MembersListener } from './ownership/membership';
export { rendezvousAssign, rendezvousOwner, rendezvousWeight } from './ownership/rendezvous';
export { SymbolOwnership, type OwnershipChange, type OwnershipListener } from './ownership/symbol-ownership';
