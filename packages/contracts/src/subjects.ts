import { token } from './token';

/** Every NATS subject the system uses. Services never write subject literals. */
export const subjects = {
  /** `md.book.<venue>.<symbol>`: latest BookSnapshot. */
  book: (venue: string, symbol: string): string => `md.book.${token('venue', venue)}.${token('symbol', symbol)}`,
  /** All books, or one venue's books. */
  books: (venue?: string): string => (venue === undefined ? 'md.book.>' : `md.book.${token('venue', venue)}.>`),
  /** All books of one symbol, every venue. */
  booksOfSymbol: (symbol: string): string => `md.book.*.${token('symbol', symbol)}`,
  /** `md.status.<venue>`: FeedStatus. */
  status: (venue: string): string => `md.status.${token('venue', venue)}`,
  statuses: (): string => 'md.status.*',
  /** `arb.opp.<symbol>`: Opportunity (stream ARB_OPPS). */
  opportunity: (symbol: string): string => `arb.opp.${token('symbol', symbol)}`,
  opportunities: (): string => 'arb.opp.>',
  /** `arb.exec.<symbol>`: ExecutionReport (stream ARB_EXECS). */
  execution: (symbol: string): string => `arb.exec.${token('symbol', symbol)}`,
  executions: (): string => 'arb.exec.>',
} as const;

/** Parses `md.book.<venue>.<symbol>` back into its parts (null if it is not a book subject). */
export function parseBookSubject(subject: string): { venue: string; symbol: string } | null {
  const parts = subject.split('.');
  if (parts.length !== 4 || parts[0] !== 'md' || parts[1] !== 'book') return null;
  return { venue: parts[2] as string, symbol: parts[3] as string };
}
