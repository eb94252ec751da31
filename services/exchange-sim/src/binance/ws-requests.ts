/** Live-subscription request handling (pure parsing): Binance's WS request/response formats. */

export type WsId = number | string | null;

export type WsRequest =
  | { method: 'SUBSCRIBE' | 'UNSUBSCRIBE'; params: string[]; id: WsId }
  | { method: 'LIST_SUBSCRIPTIONS'; id: WsId }
  | { method: 'SET_PROPERTY'; name: string; value: unknown; id: WsId }
  | { method: 'GET_PROPERTY'; name: string; id: WsId };

export interface WsRequestError {
  code: number;
  msg: string;
  id: WsId;
}

const METHODS = ['SUBSCRIBE', 'UNSUBSCRIBE', 'LIST_SUBSCRIPTIONS', 'SET_PROPERTY', 'GET_PROPERTY'];

export function parseWsRequest(text: string): WsRequest | WsRequestError {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1', id: null };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { code: 2, msg: 'Invalid request: expected an object', id: null };
  const o = v as Record<string, unknown>;
  const id = o.id === undefined ? null : o.id;
  if (!(id === null || (typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && /^[A-Za-z0-9-]{1,36}$/.test(id)))) {
    return { code: 2, msg: 'Invalid request: request ID must be an unsigned integer', id: null };
  }
  const method = o.method;
  if (typeof method !== 'string') return { code: 2, msg: 'Invalid request: missing field `method`', id };
  if (!METHODS.includes(method)) {
    return { code: 2, msg: `Invalid request: unknown variant \`${method}\`, expected one of \`${METHODS.join('`, `')}\``, id };
  }
  if (method === 'LIST_SUBSCRIPTIONS') return { method, id };
  const params = o.params;
  if (!Array.isArray(params)) return { code: 2, msg: 'Invalid request: missing field `params`', id };
  if (method === 'SUBSCRIBE' || method === 'UNSUBSCRIBE') {
    if (!params.every((p): p is string => typeof p === 'string')) return { code: 2, msg: 'Invalid request: stream names must be strings', id };
    return { method, params, id };
  }
  const name = params[0];
  if (typeof name !== 'string') return { code: 2, msg: 'Invalid request: property name must be a string', id };
  if (method === 'GET_PROPERTY') return { method, name, id };
  if (params.length > 2) return { code: 2, msg: 'Invalid request: too many parameters', id };
  return { method: 'SET_PROPERTY', name, value: params[1], id };
}

export function isRequestError(r: WsRequest | WsRequestError): r is WsRequestError {
  return 'code' in r;
}

export function errorResponse(code: number, msg: string, id: WsId): string {
  return JSON.stringify({ error: { code, msg }, id });
}

export function resultResponse(result: unknown, id: WsId): string {
  return JSON.stringify({ result, id });
}
