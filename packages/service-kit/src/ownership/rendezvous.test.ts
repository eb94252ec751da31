import { rendezvousAssign, rendezvousOwner, rendezvousWeight } from './rendezvous';

const symbols = (n: number): string[] => Array.from({ length: n }, (_, i) => `S${i}-USDT`);
const members = (n: number): string[] => Array.from({ length: n }, (_, i) => `detector-${i}-x${(i * 7919).toString(36)}`);

function owners(universe: readonly string[], group: readonly string[]): Map<string, string> {
  return new Map(universe.map((s) => [s, rendezvousOwner(s, group) ?? '']));
}

describe('rendezvous hashing', () => {
  it('is deterministic and independent of member order', () => {
    const u = symbols(200);
    const g = members(5);
    const a = owners(u, g);
    const b = owners(u, [...g].reverse());
    expect(b).toEqual(a);
    expect(rendezvousWeight('m', 'BTC-USDT')).toBe(rendezvousWeight('m', 'BTC-USDT'));
    expect(rendezvousWeight('m', 'BTC-USDT')).not.toBe(rendezvousWeight('m', 'ETH-USDT'));
    expect(rendezvousOwner('BTC-USDT', [])).toBeUndefined();
  });

  it('gives each key to exactly one member: the members’ own assignments partition the universe', () => {
    const u = symbols(300);
    const g = members(4);
    const parts = g.map((m) => rendezvousAssign(u, g, m));
    expect(parts.flat().sort()).toEqual([...u].sort());
    expect(new Set(parts.flat()).size).toBe(u.length);
  });

  it('balances: with 4 members and 4000 keys every member owns 1000 ± 100', () => {
    const u = symbols(4000);
    const g = members(4);
    const counts = g.map((m) => rendezvousAssign(u, g, m).length);
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(100); // sd ≈ 27
  });

  it('moves only the dead member’s keys when one dies, spread over the survivors', () => {
    const u = symbols(3000);
    const g = members(3);
    const before = owners(u, g);
    const dead = g[1]!;
    const survivors = g.filter((m) => m !== dead);
    const after = owners(u, survivors);
    const moved = u.filter((s) => before.get(s) !== after.get(s));
    expect(moved.length).toBe(u.filter((s) => before.get(s) === dead).length);
    expect(moved.every((s) => before.get(s) === dead)).toBe(true);
    const takenBy = survivors.map((m) => moved.filter((s) => after.get(s) === m).length);
    for (const t of takenBy) expect(Math.abs(t - moved.length / 2)).toBeLessThan(moved.length * 0.1);
  });

  it('moves only keys to the newcomer when one joins (about 1/n of them)', () => {
    const u = symbols(3000);
    const g = members(3);
    const before = owners(u, g);
    const joined = [...g, 'detector-new-abc123'];
    const after = owners(u, joined);
    const moved = u.filter((s) => before.get(s) !== after.get(s));
    expect(moved.every((s) => after.get(s) === 'detector-new-abc123')).toBe(true);
    expect(Math.abs(moved.length - 750)).toBeLessThan(90);
  });

  it('counts self in even when it is not listed', () => {
    const u = symbols(50);
    expect(rendezvousAssign(u, [], 'alone')).toEqual(u);
    expect(rendezvousAssign(u, ['other'], 'alone')).toEqual(u.filter((s) => rendezvousOwner(s, ['other', 'alone']) === 'alone'));
  });
});
