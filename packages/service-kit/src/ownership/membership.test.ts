import type { KV, KvWatchEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { GroupMembership } from './membership';
import { SymbolOwnership } from './symbol-ownership';

const TTL = 2000;
const HEARTBEAT = 500;
const UNIVERSE = Array.from({ length: 30 }, (_, i) => `S${i}-USDT`);

/** A watch: entries pushed by the bucket, read by one `for await`. */
class FakeWatch implements AsyncIterable<KvWatchEntry> {
  private queue: KvWatchEntry[] = [];
  private waiting: ((r: IteratorResult<KvWatchEntry>) => void) | undefined;
  private done = false;

  push(e: KvWatchEntry): void {
    if (this.done) return;
    const w = this.waiting;
    if (w !== undefined) {
      this.waiting = undefined;
      w({ value: e, done: false });
    } else this.queue.push(e);
  }

  stop(): void {
    this.done = true;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
  }

  [Symbol.asyncIterator](): AsyncIterator<KvWatchEntry> {
    return {
      next: () => {
        const e = this.queue.shift();
        if (e !== undefined) return Promise.resolve({ value: e, done: false });
        if (this.done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
    };
  }
}

/** An in-memory bucket on the fake clock: puts reach every watch at once (an "update"); `hung` members' puts never complete. */
class FakeBucket {
  readonly entries = new Map<string, { created: number; op: 'PUT' | 'DEL' }>();
  readonly watches: FakeWatch[] = [];
  readonly hung = new Set<string>();
  /** Watches that receive nothing more (a stalled subscription). */
  readonly muted = new Set<FakeWatch>();
  readonly watchesOf = new Map<string, FakeWatch[]>();
  private revision = 0;

  kvFor(owner = ''): KV {
    const kv = {
      put: (key: string): Promise<number> => {
        if (this.hung.has(key)) return new Promise<number>(() => undefined);
        this.write(key, 'PUT');
        return Promise.resolve(this.revision);
      },
      delete: (key: string): Promise<void> => {
        this.write(key, 'DEL');
        return Promise.resolve();
      },
      watch: (): Promise<FakeWatch> => {
        const w = new FakeWatch();
        const present = [...this.entries];
        present.forEach(([key, e], i) => w.push(entry(key, e.op, e.created, false, present.length - 1 - i)));
        this.watches.push(w);
        this.watchesOf.set(owner, [...(this.watchesOf.get(owner) ?? []), w]);
        return Promise.resolve(w);
      },
    };
    return kv as unknown as KV;
  }

  /** Writes a key directly (another process's old heartbeat), dated `created`. */
  seed(key: string, created: number): void {
    this.entries.set(key, { created, op: 'PUT' });
  }

  private write(key: string, op: 'PUT' | 'DEL'): void {
    this.revision++;
    const created = Date.now();
    this.entries.set(key, { created, op });
    for (const w of this.watches) if (!this.muted.has(w)) w.push(entry(key, op, created, true, 0));
  }
}

function entry(key: string, operation: 'PUT' | 'DEL', created: number, isUpdate: boolean, delta: number): KvWatchEntry {
  return { key, operation, created: new Date(created), isUpdate, delta, bucket: 'arb_members', value: new Uint8Array(), revision: 1, length: 0, rawKey: key } as unknown as KvWatchEntry;
}

const nc = { isClosed: () => false } as unknown as NatsConnection;

function member(bucket: FakeBucket, id: string): SymbolOwnership {
  const m = new GroupMembership(bucket.kvFor(id), nc, { group: 'detector', member: id, heartbeatMs: HEARTBEAT, ttlMs: TTL, now: () => Date.now() });
  return new SymbolOwnership(m, UNIVERSE);
}

describe('GroupMembership / SymbolOwnership (fake bucket, fake clock)', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('never lets two members own a symbol when one stalls: the stalled one drops out of its own view first', async () => {
    const bucket = new FakeBucket();
    const a = member(bucket, 'a');
    const b = member(bucket, 'b');
    await a.start();
    await b.start();
    await jest.advanceTimersByTimeAsync(10);
    expect(a.membership.members()).toEqual(['a', 'b']);
    expect(b.membership.members()).toEqual(['a', 'b']);
    expect(a.ownedKeys().length + b.ownedKeys().length).toBe(UNIVERSE.length);
    const aKeys = [...a.ownedKeys()];
    expect(aKeys.length).toBeGreaterThan(0);

    await jest.advanceTimersByTimeAsync(HEARTBEAT * 2 + 137); // mid-way between heartbeats
    bucket.hung.add('detector.a'); // a's heartbeats stop being acknowledged (and never reach b)
    const stalledAt = Date.now();
    let aDroppedAt: number | undefined;
    let bTookAt: number | undefined;
    for (let t = 0; t <= TTL + HEARTBEAT * 2; t += 1) {
      await jest.advanceTimersByTimeAsync(1);
      const doubly = aKeys.filter((s) => a.owns(s) && b.owns(s));
      expect(doubly).toEqual([]);
      if (aDroppedAt === undefined && !aKeys.some((s) => a.owns(s))) aDroppedAt = Date.now();
      if (bTookAt === undefined && aKeys.every((s) => b.owns(s))) bTookAt = Date.now();
    }
    expect(aDroppedAt).toBeDefined();
    expect(bTookAt).toBeDefined();
    // b takes over ttlMs after it last heard from a (within a heartbeat of the stall); a let go no later than that.
    expect(bTookAt! - stalledAt).toBeGreaterThan(TTL - HEARTBEAT);
    expect(bTookAt! - stalledAt).toBeLessThanOrEqual(TTL + 2);
    expect(aDroppedAt!).toBeLessThanOrEqual(bTookAt!);
    expect(a.ownedKeys()).toEqual([]);
    expect(b.ownedKeys()).toEqual(UNIVERSE);
    const stopping = a.stop(); // waits (up to ttlMs) for its hung heartbeat before deleting its key
    await jest.advanceTimersByTimeAsync(TTL);
    await stopping;
    await b.stop();
  });

  it('a member whose watch goes silent takes nothing, steps out, re-opens the watch and comes back; never a double owner', async () => {
    const bucket = new FakeBucket();
    const a = member(bucket, 'a');
    const b = member(bucket, 'b');
    await b.start();
    // a heartbeats 200 ms after b: when a's watch stalls, b's last heartbeat expires in a's view before a's own does.
    await jest.advanceTimersByTimeAsync(200);
    await a.start();
    await jest.advanceTimersByTimeAsync(HEARTBEAT * 3 + 10);
    expect(a.membership.members()).toEqual(['a', 'b']);
    const aKeys = [...a.ownedKeys()];
    const bKeys = [...b.ownedKeys()];
    for (const w of bucket.watchesOf.get('a') ?? []) bucket.muted.add(w);
    let aDark = false;
    for (let t = 0; t <= TTL * 3; t += 1) {
      await jest.advanceTimersByTimeAsync(1);
      expect(UNIVERSE.filter((s) => a.owns(s) && b.owns(s))).toEqual([]);
      expect(bKeys.filter((s) => a.owns(s))).toEqual([]); // a never takes b's keys on a stale view
      if (!aKeys.some((s) => a.owns(s))) aDark = true;
    }
    expect(aDark).toBe(true); // a fenced itself while it could not see the group
    expect(bucket.watchesOf.get('a')!.length).toBeGreaterThan(1); // and re-opened its watch
    expect(a.ownedKeys()).toEqual(aKeys); // back with its own share
    expect(b.ownedKeys()).toEqual(bKeys);
    await a.stop();
    await b.stop();
  });

  it('counts keys found at start by their age (an old one is dead), and drops a deleted key at once', async () => {
    const bucket = new FakeBucket();
    bucket.seed('detector.ghost', Date.now() - TTL - 1);
    bucket.seed('detector.fresh', Date.now() - (TTL - 300));
    const a = member(bucket, 'a');
    await a.start();
    expect(a.membership.members()).toEqual(['a', 'fresh']);
    await jest.advanceTimersByTimeAsync(302); // fresh never heartbeats again: dead ttlMs after its entry was written
    expect(a.membership.members()).toEqual(['a']);
    expect(a.ownedKeys()).toEqual(UNIVERSE);

    const b = member(bucket, 'b');
    await b.start();
    await jest.advanceTimersByTimeAsync(1);
    expect(a.membership.members()).toEqual(['a', 'b']);
    await b.stop(); // deletes its key
    await jest.advanceTimersByTimeAsync(1);
    expect(a.membership.members()).toEqual(['a']);
    expect(a.ownedKeys()).toEqual(UNIVERSE);
    await a.stop();
  });

  it('refuses a ttlMs below 3 heartbeats', () => {
    expect(() => new GroupMembership(new FakeBucket().kvFor(), nc, { group: 'detector', member: 'a', heartbeatMs: 500, ttlMs: 1499 })).toThrow(/ttlMs/);
  });
});
