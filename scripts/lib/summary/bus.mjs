import { get } from 'node:http';
import { workspace } from '../workspace.mjs';

function timeout(ms, what) {
  let timer;
  const promise = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Races `promise` against a timer that is always cleared. */
export async function within(ms, what, promise) {
  const t = timeout(ms, what);
  try {
    return await Promise.race([promise, t.promise]);
  } finally {
    t.cancel();
  }
}

/**
 * Connects to NATS and feeds `state` from core subscriptions on `md.status.*`, `arb.opp.>` and `arb.exec.>`
 * (subject builders from @arb/contracts). Returns `{ nc, close() }`; close never throws and never hangs.
 */
export async function connectSummaryBus({ url, state, name = 'npm-start-summary' }) {
  const { nats, contracts } = workspace();
  const nc = await nats.connect({ servers: String(url).split(','), name, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
  const feed = (handler) => (err, m) => {
    if (!err) handler(m.data);
  };
  nc.subscribe(contracts.subjects.statuses(), { callback: feed((d) => state.onStatus(d)) });
  nc.subscribe(contracts.subjects.opportunities(), { callback: feed((d) => state.onOpportunity(d)) });
  nc.subscribe(contracts.subjects.executions(), { callback: feed((d) => state.onExecution(d)) });
  await nc.flush();
  return {
    nc,
    close: async () => {
      try {
        await within(2000, 'NATS close', nc.close());
      } catch {
        // the server may already be gone
      }
    },
  };
}

/** GET `url` as JSON within `timeoutMs`. */
export function fetchJson(url, timeoutMs = 1500) {
  return new Promise((resolve, reject) => {
    const req = get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
        try {
          resolve(JSON.parse(body));
        } catch {
          reject(new Error('answer is not JSON'));
        }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** Polls the stats service's `/stats` into `state` every `everyMs` (one request at a time). Returns stop(). */
export function pollStats(url, state, everyMs = 2000) {
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      state.setStats(await fetchJson(url), undefined);
    } catch (error) {
      state.setStats(undefined, error.message);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(tick, everyMs);
  void tick();
  return () => clearInterval(timer);
}
