import type { Rng } from '../model/rng';

export const CORRUPT_KINDS = ['badJson', 'negativeSize', 'crossed', 'missingField'] as const;
export type CorruptKind = (typeof CORRUPT_KINDS)[number];

/** Makes a corrupted replacement of one market-data message. */
export interface Corrupter {
  corrupt(text: string, rng: Rng): { text: string; kind: CorruptKind };
}

export interface CrossingLevel {
  /** A bid price at or above the book's best ask (so the book ends up crossed). */
  price: string;
  qty: string;
}

/** Binance depthUpdate (raw or combined-wrapped). */
export function corruptBinanceDepth(text: string, rng: Rng, cross: () => CrossingLevel): { text: string; kind: CorruptKind } {
  const kind = pick(rng);
  switch (kind) {
    case 'badJson':
      return { text: text.slice(0, Math.max(1, text.length >> 1)), kind };
    case 'negativeSize': {
      const out = text.replace(/(\["[0-9.]+",")([0-9.]+")/, '$1-$2');
      return { text: out, kind };
    }
    case 'crossed': {
      const c = cross();
      return { text: injectAfter(text, '"b":[', `["${c.price}","${c.qty}"]`), kind };
    }
    case 'missingField':
      return { text: text.replace(/,"u":\d+/, ''), kind };
  }
}

/** Coinbase l2_data message. */
export function corruptCoinbaseL2(text: string, rng: Rng, cross: () => CrossingLevel, eventTime: string): { text: string; kind: CorruptKind } {
  const kind = pick(rng);
  switch (kind) {
    case 'badJson':
      return { text: text.slice(0, Math.max(1, text.length >> 1)), kind };
    case 'negativeSize':
      return { text: text.replace('"new_quantity":"', '"new_quantity":"-'), kind };
    case 'crossed': {
      const c = cross();
      const upd = `{"side":"bid","event_time":"${eventTime}","price_level":"${c.price}","new_quantity":"${c.qty}"}`;
      return { text: injectAfter(text, '"updates":[', upd), kind };
    }
    case 'missingField':
      return { text: text.replace(/"price_level":"[^"]*",/, ''), kind };
  }
}

function pick(rng: Rng): CorruptKind {
  return CORRUPT_KINDS[rng.int(CORRUPT_KINDS.length)] as CorruptKind;
}

/** Inserts `item` as the first element of the array opened by `marker`. */
function injectAfter(text: string, marker: string, item: string): string {
  const i = text.indexOf(marker);
  if (i < 0) return text.slice(0, text.length >> 1);
  const at = i + marker.length;
  const sep = text[at] === ']' ? '' : ',';
  return `${text.slice(0, at)}${item}${sep}${text.slice(at)}`;
}
