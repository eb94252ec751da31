/**
 * Subjects of the bench's own floor traffic. Outside `md.>` / `arb.>` on purpose: a service under test subscribed to
 * `md.book.>` must never see (and pay for) the floor that is measured beside it.
 */
export const benchSubjects = {
  /** Books published by a floor's stand-in feed. */
  floorBook: (venue: string): string => `bench.floor.book.${venue}`,
  /** Where the relay re-publishes them. */
  relayed: (): string => 'bench.floor.relayed',
} as const;
