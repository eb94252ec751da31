export { OrderBook, type BookSide, type BookTop, type PriceLevel } from './order-book';
export {
  checkBookInvariants,
  assertBookInvariants,
  BookInvariantError,
  type BookLike,
  type BookRule,
  type BookViolation,
} from './invariants';
export { isUDecimal, isZeroDecimal, normalizeDecimal, compareDecimal, compareCanonical } from './decimal';
