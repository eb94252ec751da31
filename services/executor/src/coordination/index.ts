export { RedisSemaphore, type SemaphoreOptions } from './semaphore';
export type { Lease } from './lease';
export { RouteLock, type RouteLockHandle } from './route-lock';
export { InventoryLedger, type InventoryBalance, type InventoryItem, type SettleItem } from './inventory';
export { IdempotencyGuard } from './idempotency';
export { InvalidAmountError, InvalidHolderError, CoordinationReplyError, ReplicaAckError } from './errors';
export { ReplicaAck, type ReplicaAckSettings } from './replica-ack';
export { MAX_DECIMALS } from './args';
