import { configKeys, validators, type RuntimeConfig } from '@arb/contracts';
import type { KV } from '@nats-io/kv';

export interface RuntimeConfigOptions {
  executorId: string;
  /** A value that failed validation (kept: the previous one stays in force). */
  onInvalid?(issues: string[]): void;
  onChange?(cfg: RuntimeConfig | null): void;
  onError?(err: unknown): void;
}

const encoder = new TextEncoder();

/**
 * The live RuntimeConfig (KV `arb_config`, key `runtime`): kill switch and parameter overrides, read from memory on
 * the hot path and kept current by a KV watch. `trip()` sets the kill switch cluster-wide (compare-and-set write).
 */
export class RuntimeConfigState {
  private cfg: RuntimeConfig | null = null;
  private revision = 0;
  private localKill: string | null = null;
  private stopped = false;
  private iter: { stop(): void } | undefined;

  constructor(
    private readonly kv: KV,
    private readonly o: RuntimeConfigOptions,
  ) {}

  get current(): RuntimeConfig | null {
    return this.cfg;
  }

  /** True when trading must stop (the KV document says so, or this process tripped it and the write is pending). */
  get killed(): boolean {
    return this.localKill !== null || this.cfg?.killSwitch === true;
  }

  get killReason(): string | undefined {
    return this.cfg?.killSwitch === true ? (this.cfg.killReason ?? 'kill switch') : (this.localKill ?? undefined);
  }

  /** Reads the current value, then follows changes in the background. */
  async start(): Promise<void> {
    const e = await this.kv.get(configKeys.runtime);
    if (e !== null) this.apply(e.operation, e.value, e.revision);
    const iter = await this.kv.watch({ key: configKeys.runtime });
    this.iter = iter;
    void (async () => {
      try {
        for await (const w of iter) {
          if (this.stopped) break;
          if (w.revision > this.revision) this.apply(w.operation, w.value, w.revision);
        }
      } catch (err) {
        if (!this.stopped) this.o.onError?.(err);
      }
    })();
  }

  stop(): void {
    this.stopped = true;
    this.iter?.stop();
  }

  /** Sets the kill switch with `reason` for every service (keeps the rest of the document). */
  async trip(reason: string): Promise<void> {
    this.localKill = reason.slice(0, 256);
    for (let attempt = 0; attempt < 5; attempt++) {
      const e = await this.kv.get(configKeys.runtime);
      const prev = e !== null && e.operation === 'PUT' && validators.RuntimeConfig.check(safeJson(e.value)) ? (safeJson(e.value) as RuntimeConfig) : null;
      if (prev?.killSwitch === true) return;
      const next: RuntimeConfig = {
        ...(prev ?? { v: 1, params: {}, variants: [] }),
        v: 1,
        killSwitch: true,
        killReason: this.localKill,
        updatedTs: Date.now(),
        updatedBy: this.o.executorId.slice(0, 128),
      } as RuntimeConfig;
      const data = encoder.encode(JSON.stringify(validators.RuntimeConfig.assert(next)));
      try {
        if (e === null) await this.kv.create(configKeys.runtime, data);
        else await this.kv.update(configKeys.runtime, data, e.revision);
        return;
      } catch {
        // Lost a race with another writer: read again.
      }
    }
  }

  private apply(op: string, value: Uint8Array, revision: number): void {
    this.revision = revision;
    if (op !== 'PUT') {
      this.cfg = null;
      this.o.onChange?.(null);
      return;
    }
    const parsed = safeJson(value);
    if (!validators.RuntimeConfig.check(parsed)) {
      this.o.onInvalid?.(validators.RuntimeConfig.issues(parsed));
      return;
    }
    this.cfg = parsed;
    if (!parsed.killSwitch) this.localKill = null;
    this.o.onChange?.(parsed);
  }
}

function safeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
}
