/** Group membership could not be joined (bucket missing or unreadable, first heartbeat or watch failed). */
export class MembershipError extends Error {
  override readonly name = 'MembershipError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
