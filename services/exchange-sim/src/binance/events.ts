import type { Instrument } from '../model/instrument';
import { ASK, BID, type ChangeBuffer } from '../model/change-buffer';
import { priceStr, qtyStr } from '../model/format';
import type { LevelsState } from '../model/book-history';

/** `{"e":"depthUpdate",...}` exactly as Binance sends it. */
export function depthUpdate(E: number, s: string, U: number, u: number, b: string, a: string): string {
  return `{"e":"depthUpdate","E":${E},"s":"${s}","U":${U},"u":${u},"b":[${b}],"a":[${a}]}`;
}

export function level(inst: Instrument, tick: number, lots: number): string {
  return `["${priceStr(inst, tick)}","${qtyStr(inst, lots)}"]`;
}

/** b / a arrays (without brackets) of one change in the buffer. */
export function changeLevels(inst: Instrument, buf: ChangeBuffer, c: number): [string, string] {
  let b = '';
  let a = '';
  const start = buf.chStart[c] as number;
  const end = start + (buf.chCount[c] as number);
  for (let i = start; i < end; i++) {
    const l = level(inst, buf.updTick[i] as number, buf.updLots[i] as number);
    if (buf.updSide[i] === BID) b = b ? `${b},${l}` : l;
    else if (buf.updSide[i] === ASK) a = a ? `${a},${l}` : l;
  }
  return [b, a];
}

export function mapLevels(inst: Instrument, m: Map<number, number>): string {
  let out = '';
  for (const [tick, lots] of m) out = out ? `${out},${level(inst, tick, lots)}` : level(inst, tick, lots);
  return out;
}

export function levelsJson(inst: Instrument, levels: Array<[number, number]>): string {
  return levels.map(([t, l]) => level(inst, t, l)).join(',');
}

/** REST /api/v3/depth and partial-depth stream payload. */
export function depthSnapshot(inst: Instrument, lastUpdateId: number, state: LevelsState): string {
  return `{"lastUpdateId":${lastUpdateId},"bids":[${levelsJson(inst, state.bids)}],"asks":[${levelsJson(inst, state.asks)}]}`;
}

export function bookTicker(inst: Instrument, u: number, s: string, bt: number, bl: number, at: number, al: number): string {
  return `{"u":${u},"s":"${s}","b":"${priceStr(inst, bt)}","B":"${qtyStr(inst, bl)}","a":"${priceStr(inst, at)}","A":"${qtyStr(inst, al)}"}`;
}
