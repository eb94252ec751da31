import type { RuntimeConfig } from '@arb/contracts';
import { RuntimeConfigStore, type Logger, type Registry, type RuntimeConfigWatch } from '@arb/service-kit';
import type { NatsConnection } from '@nats-io/transport-node';

export interface RuntimeConfigOptions {
  executorId: string;
  logger: Logger;
  registry: Registry;
  onChange?(cfg: RuntimeConfig): void;
}

/**
 * The live RuntimeConfig (KV `arb_config`, key `runtime`) through service-kit's RuntimeConfigStore: kill switch and
 * parameter overrides read from memory on the hot path, kept current by its watch (invalid documents are ignored:
 * the last good one stays). `trip()` sets the kill switch cluster-wide with a compare-and-set write.
 */
export class RuntimeConfigState {
  private store: RuntimeConfigStore | undefined;
  private watch: RuntimeConfigWatch | undefined;
  private localKill: string | null = null;

  constructor(
    private readonly nc: NatsConnection,
    private readonly o: RuntimeConfigOptions,
  ) {}

  get current(): RuntimeConfig | null {
    return this.watch?.current() ?? null;
  }

  /** True when trading must stop (the KV document says so, or this process tripped it and the write is pending). */
  get killed(): boolean {
    return this.localKill !== null || this.current?.killSwitch === true;
  }

  get killReason(): string | undefined {
    const c = this.current;
    return c?.killSwitch === true ? (c.killReason ?? 'kill switch') : (this.localKill ?? undefined);
  }

  /** Reads the document in force, then follows changes in the background. */
  async start(): Promise<void> {
    this.store = await RuntimeConfigStore.open(this.nc, { logger: this.o.logger, registry: this.o.registry });
    this.watch = await this.store.watch((cfg) => {
      if (!cfg.killSwitch) this.localKill = null; // an operator lifted it
      this.o.onChange?.(cfg);
    });
  }

  async stop(): Promise<void> {
    await this.watch?.stop();
  }

  /** Sets the kill switch with `reason` for every service (keeps the rest of the document). */
  async trip(reason: string): Promise<void> {
    this.localKill = reason.slice(0, 256);
    const store = this.store;
    if (store === undefined) return;
    const killReason = this.localKill;
    await store.update((cur) => (cur.killSwitch ? undefined : { ...cur, killSwitch: true, killReason }), { updatedBy: this.o.executorId.slice(0, 128) });
  }
}
