import type { Rng } from '../model/rng';
import type { Corrupter, CorruptKind } from './corrupt';

/** For messages without a book-specific corruption: truncated (invalid) JSON. */
export const badJsonCorrupter: Corrupter = {
  corrupt(text: string, _rng: Rng): { text: string; kind: CorruptKind } {
    return { text: text.slice(0, Math.max(1, text.length >> 1)), kind: 'badJson' };
  },
};
