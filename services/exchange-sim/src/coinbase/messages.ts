/** Coinbase Advanced Trade market-data message texts (built by hand: one string per message). */

export function l2Message(timestamp: string, seq: number, events: string): string {
  return `{"channel":"l2_data","client_id":"","timestamp":"${timestamp}","sequence_num":${seq},"events":${events}}`;
}

export function l2Event(type: 'snapshot' | 'update', productId: string, updates: string): string {
  return `{"type":"${type}","product_id":"${productId}","updates":[${updates}]}`;
}

export function l2Update(side: 'bid' | 'offer', eventTime: string, price: string, qty: string): string {
  return `{"side":"${side}","event_time":"${eventTime}","price_level":"${price}","new_quantity":"${qty}"}`;
}

export function subscriptionsMessage(timestamp: string, seq: number, subscriptions: Record<string, string[]>): string {
  return JSON.stringify({ channel: 'subscriptions', client_id: '', timestamp, sequence_num: seq, events: [{ subscriptions }] });
}

export function heartbeatMessage(timestamp: string, seq: number, currentTime: string, counter: number): string {
  return JSON.stringify({
    channel: 'heartbeats',
    client_id: '',
    timestamp,
    sequence_num: seq,
    events: [{ current_time: currentTime, heartbeat_counter: counter }],
  });
}

export function errorMessage(message: string): string {
  return JSON.stringify({ type: 'error', message });
}

/** Go-style time string Coinbase puts in heartbeats: "2023-06-23 20:31:56.121961 +0000 UTC". */
export function goTime(epochMs: number): string {
  const iso = new Date(Math.floor(epochMs)).toISOString();
  const micros = String(Math.floor((epochMs % 1) * 1000)).padStart(3, '0');
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}${micros} +0000 UTC`;
}
