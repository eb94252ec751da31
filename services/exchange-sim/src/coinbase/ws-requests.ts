/** Parsing of Coinbase Advanced Trade WS client messages (subscribe / unsubscribe). */
export interface CbRequest {
  type: 'subscribe' | 'unsubscribe';
  channel: string;
  productIds: string[];
  /** The CDP JWT (without `uri`), needed by the `user` channel. */
  jwt: string;
}

export function parseCbRequest(text: string): CbRequest | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'Malformed JSON';
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'Malformed request: expected an object';
  const o = v as Record<string, unknown>;
  if (o.type !== 'subscribe' && o.type !== 'unsubscribe') return `Malformed request: unknown type ${JSON.stringify(o.type)}`;
  if (typeof o.channel !== 'string' || o.channel.length === 0) return 'Malformed request: channel is required';
  const ids = o.product_ids ?? [];
  if (!Array.isArray(ids) || !ids.every((p): p is string => typeof p === 'string')) return 'Malformed request: product_ids must be strings';
  return { type: o.type, channel: o.channel, productIds: ids, jwt: typeof o.jwt === 'string' ? o.jwt : '' };
}
