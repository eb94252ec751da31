import type { BusSubscription } from '@arb/service-kit';

/** The book subscriptions of this replica, one per subject; `set` subscribes to new subjects and ends the others. */
export class BookSubscriptions {
  private readonly subs = new Map<string, BusSubscription>();

  constructor(private readonly open: (subject: string) => BusSubscription) {}

  set(subjects: readonly string[]): { added: string[]; removed: string[] } {
    const wanted = new Set(subjects);
    const removed: string[] = [];
    for (const [subject, sub] of this.subs) {
      if (wanted.has(subject)) continue;
      sub.unsubscribe();
      this.subs.delete(subject);
      removed.push(subject);
    }
    const added: string[] = [];
    for (const subject of wanted) {
      if (this.subs.has(subject)) continue;
      this.subs.set(subject, this.open(subject));
      added.push(subject);
    }
    return { added, removed };
  }

  subjects(): string[] {
    return [...this.subs.keys()];
  }

  /** Drains every subscription (what the server already sent is still handled). */
  async close(): Promise<void> {
    const all = [...this.subs.values()];
    this.subs.clear();
    await Promise.allSettled(all.map((s) => s.drain()));
  }
}
