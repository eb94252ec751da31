import { hashKey } from '../runtime-config/assign-variant';

/**
 * Rendezvous (highest-random-weight) weight of `member` for `key`: two independent 32-bit hashes joined into 53 bits,
 * so ties are practically impossible (they fall back to the member id order). Same inputs, same weight, in every process.
 */
export function rendezvousWeight(member: string, key: string): number {
  const hi = hashKey(`${member}\u0000${key}`);
  const lo = hashKey(`${key}\u0000${member}`) >>> 11; // 21 bits
  return hi * 0x20_0000 + lo;
}

/** The member with the highest weight for `key` (undefined when there are no members). */
export function rendezvousOwner(key: string, members: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestWeight = -1;
  for (const m of members) {
    const w = rendezvousWeight(m, key);
    if (w > bestWeight || (w === bestWeight && best !== undefined && m < best)) {
      best = m;
      bestWeight = w;
    }
  }
  return best;
}

/**
 * The keys of `universe` that `self` owns among `members` (self need not be listed: it is counted in). Each key goes
 * to exactly one member; when a member joins or leaves, only the keys it gains or held move.
 */
export function rendezvousAssign(universe: readonly string[], members: Iterable<string>, self: string): string[] {
  const all = new Set(members);
  all.add(self);
  return universe.filter((k) => rendezvousOwner(k, all) === self);
}
