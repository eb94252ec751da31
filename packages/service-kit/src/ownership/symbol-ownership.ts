import type { NatsConnection } from '@nats-io/transport-node';
import { GroupMembership, type GroupMembershipOptions } from './membership';
import { rendezvousAssign } from './rendezvous';

export interface OwnershipChange {
  /** Owned now (universe order). */
  readonly owned: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Live members the assignment was computed over (sorted). */
  readonly members: readonly string[];
}

export type OwnershipListener = (change: OwnershipChange) => void;

/**
 * Which keys of a fixed universe (symbols) this member owns: rendezvous hashing over the group's live members, so
 * each key has exactly one owner in a settled view and a join or a death moves only that member's keys. While this
 * member is not live in its own view (heartbeats not acknowledged within ttlMs) it owns nothing.
 */
export class SymbolOwnership {
  private owned: ReadonlySet<string> = new Set();
  private ownedList: readonly string[] = [];
  private readonly listeners: OwnershipListener[] = [];

  constructor(
    readonly membership: GroupMembership,
    readonly universe: readonly string[],
  ) {
    membership.onChange((members) => this.recompute(members));
  }

  /** Binds to the bucket (MembershipError if it does not exist); owns nothing until `start`. */
  static async open(nc: NatsConnection, universe: readonly string[], opts: GroupMembershipOptions): Promise<SymbolOwnership> {
    return new SymbolOwnership(await GroupMembership.open(nc, opts), universe);
  }

  /** Joins the group (MembershipError on failure) and computes the first assignment (the listeners see it). */
  async start(): Promise<readonly string[]> {
    await this.membership.start();
    this.recompute(this.membership.members());
    return this.ownedList;
  }

  /** Hot path: owned in the current assignment and this member's heartbeat is still good (checked against the clock). */
  owns(key: string): boolean {
    return this.owned.has(key) && this.membership.selfAlive();
  }

  ownedKeys(): readonly string[] {
    return this.ownedList;
  }

  onChange(listener: OwnershipListener): void {
    this.listeners.push(listener);
  }

  /** Leaves the group (deletes the heartbeat key); owns nothing afterwards. */
  async stop(): Promise<void> {
    await this.membership.stop();
    this.apply([], this.membership.members());
  }

  private recompute(members: readonly string[]): void {
    const self = this.membership.member;
    this.apply(members.includes(self) ? rendezvousAssign(this.universe, members, self) : [], members);
  }

  private apply(next: readonly string[], members: readonly string[]): void {
    const nextSet = new Set(next);
    const added = next.filter((k) => !this.owned.has(k));
    const removed = this.ownedList.filter((k) => !nextSet.has(k));
    if (added.length === 0 && removed.length === 0) return;
    this.owned = nextSet;
    this.ownedList = next;
    const change: OwnershipChange = { owned: next, added, removed, members };
    for (const l of this.listeners) l(change);
  }
}
