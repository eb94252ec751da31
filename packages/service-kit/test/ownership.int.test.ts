import { buckets, memberKeys } from '@arb/contracts';
import { startNats } from '@arb/testkit';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { provisionJetStream } from '../src/jetstream/provision';
import { MembershipError } from '../src/ownership/errors';
import { memberIdFor } from '../src/ownership/membership';
import { rendezvousOwner } from '../src/ownership/rendezvous';
import { SymbolOwnership, type OwnershipChange } from '../src/ownership/symbol-ownership';
import { waitFor } from './helpers';

type Nats = Awaited<ReturnType<typeof startNats>>;

const UNIVERSE = Array.from({ length: 40 }, (_, i) => `S${i}-USDT`);
const HEARTBEAT_MS = 100;
const TTL_MS = 500;

interface Member {
  nc: NatsConnection;
  own: SymbolOwnership;
  changes: OwnershipChange[];
}

describe('SymbolOwnership (real nats-server)', () => {
  let nats: Nats;
  let admin: NatsConnection;
  const members: Member[] = [];

  beforeAll(async () => {
    nats = await startNats();
    admin = await connect({ servers: nats.url, name: 'ownership-admin' });
  });

  afterAll(async () => {
    for (const m of members) {
      await m.own.stop();
      if (!m.nc.isClosed()) await m.nc.close();
    }
    await admin?.close();
    await nats?.stop();
  });

  async function join(name: string): Promise<Member> {
    const nc = await connect({ servers: nats.url, name });
    const changes: OwnershipChange[] = [];
    try {
      const own = await SymbolOwnership.open(nc, UNIVERSE, { group: 'detector', member: memberIdFor(name), heartbeatMs: HEARTBEAT_MS, ttlMs: TTL_MS });
      own.onChange((c) => changes.push(c));
      await own.start();
      const m = { nc, own, changes };
      members.push(m);
      return m;
    } catch (err) {
      await nc.close();
      throw err;
    }
  }

  const ids = (ms: readonly Member[]): string[] => ms.map((m) => m.own.membership.member).sort();
  const settled = (ms: readonly Member[]): boolean => ms.every((m) => m.own.membership.members().join() === ids(ms).join());

  function expectPartition(ms: readonly Member[]): void {
    const group = ids(ms);
    for (const m of ms) {
      const expected = UNIVERSE.filter((s) => rendezvousOwner(s, group) === m.own.membership.member);
      expect(m.own.ownedKeys()).toEqual(expected);
      for (const s of expected) expect(m.own.owns(s)).toBe(true);
    }
    expect(ms.flatMap((m) => m.own.ownedKeys()).sort()).toEqual([...UNIVERSE].sort());
  }

  it('refuses to join before the bucket exists', async () => {
    await expect(join('early')).rejects.toThrow(MembershipError);
    await expect(join('early')).rejects.toThrow(/arb_members does not exist/);
    const r = await provisionJetStream(admin);
    expect(r.buckets).toEqual({ arb_config: 'created', arb_members: 'created' });
  });

  it('does not count a member whose last heartbeat is older than ttlMs when it starts', async () => {
    const kv = await new Kvm(admin).open(buckets.members);
    await kv.put(memberKeys.member('detector', 'ghost'), '{}');
    await new Promise((r) => setTimeout(r, TTL_MS + 100));
    const a = await join('a');
    expect(a.own.membership.members()).toEqual([a.own.membership.member]);
    expect(a.own.ownedKeys()).toEqual(UNIVERSE);
    expect(a.changes).toEqual([{ owned: UNIVERSE, added: UNIVERSE, removed: [], members: [a.own.membership.member] }]);
  });

  it('splits the universe among joining members, moving only keys to the newcomer', async () => {
    const [a] = members as [Member];
    const b = await join('b');
    const c = await join('c');
    await waitFor(() => settled([a, b, c]), 5_000, 'three members seen by all');
    expectPartition([a, b, c]);
    for (const m of [a, b]) for (const ch of m.changes.slice(1)) expect(ch.added).toEqual([]);
  });

  it('hands a dead member’s keys (no heartbeats, key left behind) to the survivors only', async () => {
    const [a, b, c] = members as [Member, Member, Member];
    const before = new Map(UNIVERSE.map((s) => [s, members.find((m) => m.own.ownedKeys().includes(s))]));
    const orphaned = [...b.own.ownedKeys()];
    expect(orphaned.length).toBeGreaterThan(0);
    const killedAt = performance.now();
    await b.nc.close(); // a crash as the others see it: heartbeats stop, the key stays
    await waitFor(() => settled([a, c]), 5_000, 'the survivors drop the dead member');
    const tookMs = performance.now() - killedAt;
    expectPartition([a, c]);
    for (const s of UNIVERSE) if (!orphaned.includes(s)) expect(members.find((m) => m !== b && m.own.ownedKeys().includes(s))).toBe(before.get(s));
    // The dead member fenced itself: its heartbeats were no longer acknowledged within ttlMs.
    await waitFor(() => b.changes.at(-1)?.owned.length === 0, 5_000, 'the cut-off member owning nothing');
    expect(orphaned.some((s) => b.own.owns(s))).toBe(false);
    process.stdout.write(`ownership: survivors took over ${tookMs.toFixed(0)} ms after the heartbeats stopped (ttlMs ${TTL_MS})\n`);
  });

  it('a member that leaves (stop) deletes its key and the others take over its keys', async () => {
    const [a, , c] = members as [Member, Member, Member];
    const cKeys = [...c.own.ownedKeys()];
    await c.own.stop();
    expect(c.own.ownedKeys()).toEqual([]);
    await waitFor(() => a.own.membership.members().join() === a.own.membership.member, 5_000, 'a alone');
    expect(a.own.ownedKeys()).toEqual(UNIVERSE);
    expect(a.changes.at(-1)?.added).toEqual(cKeys);
    const kv = await new Kvm(admin).open(buckets.members);
    expect((await kv.get(memberKeys.member('detector', c.own.membership.member)))?.operation).toBe('DEL');
  });
});
