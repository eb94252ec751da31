export { startNats, startRedis, startServers } from './servers';
export { freePort, isPortFree } from './free-port';
export { probeNats, probeRedis, waitForProbe, type NatsInfo } from './probes';
export { whichBinary, requireBinary } from './binaries';
export { resolveRuntime, runtimeSetting, dockerAnswers, type RuntimeSetting } from './runtime';
export { BinaryNotFoundError, ServerStartError, ContainerRuntimeError } from './errors';
export type { ServerHandle, NatsHandle, NatsOptions, RedisHandle, RedisOptions, Servers, TestkitRuntime } from './types';
export { ServiceProcess, type ServiceProcessOptions } from './service-process';
