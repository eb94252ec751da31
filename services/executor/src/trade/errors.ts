/**
 * A hedge/unwind order that was NOT sent because the in-flight record could not be written first: `fenced` = the
 * record is no longer this process's (taken over by another executor, claimed by a newer process of our id, or lost
 * with Redis' data: nobody may act on that trade any more, and this process only journals what it already sent);
 * `unwritable` = Redis did not answer within the retry budget (sending an order no record knows would hide it from
 * reconciliation if this process died).
 */
export class OrderNotSentError extends Error {
  override readonly name = 'OrderNotSentError';
  constructor(
    readonly reason: 'fenced' | 'unwritable',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
