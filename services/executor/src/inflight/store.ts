import { redisKeys } from '@arb/contracts';
import type { Redis } from 'ioredis';
import { LuaScript } from '../coordination/lua-script';
import type { InflightRecord } from './record';

/** Hash field holding the owner's heartbeat (server-clock expiry, ms); opportunity ids never contain `~`. */
export const HEARTBEAT_FIELD = '~hb';

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** KEYS[1] own key; ARGV ttlMs → sets the heartbeat to server now + ttl. */
const HEARTBEAT = new LuaScript(`${NOW}
redis.call('HSET', KEYS[1], '${HEARTBEAT_FIELD}', string.format('%.0f', now + tonumber(ARGV[1])))
return 1
`);

/**
 * KEYS[1] other executor's key, KEYS[2] own key → -1 while its heartbeat is live; else moves every record into the
 * own key, deletes the other key and returns the moved values. Atomic: two sweepers never take the same record.
 */
const TAKEOVER = new LuaScript(`${NOW}
local hb = redis.call('HGET', KEYS[1], '${HEARTBEAT_FIELD}')
if hb and tonumber(hb) and tonumber(hb) > now then return -1 end
local all = redis.call('HGETALL', KEYS[1])
local moved = {}
for i = 1, #all, 2 do
  if all[i] ~= '${HEARTBEAT_FIELD}' then
    redis.call('HSET', KEYS[2], all[i], all[i + 1])
    moved[#moved + 1] = all[i + 1]
  end
end
redis.call('DEL', KEYS[1])
return moved
`);

/** In-flight trade records of one executor, with its heartbeat; and the take-over of dead executors' records. */
export class InflightStore {
  readonly key: string;
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    readonly executorId: string,
  ) {
    this.key = redisKeys.inflight(executorId);
    // The key builder is the only source of the prefix: build one and drop its id.
    this.prefix = this.key.slice(0, this.key.length - executorId.length);
  }

  async put(record: InflightRecord): Promise<void> {
    await this.redis.hset(this.key, record.opp.id, JSON.stringify(record));
  }

  async remove(oppId: string): Promise<void> {
    await this.redis.hdel(this.key, oppId);
  }

  async heartbeat(ttlMs: number): Promise<void> {
    await HEARTBEAT.run(this.redis, [this.key], [ttlMs]);
  }

  /** Own records (raw JSON by opportunity id). */
  async own(): Promise<Map<string, string>> {
    const all = await this.redis.hgetall(this.key);
    const out = new Map<string, string>();
    for (const [field, value] of Object.entries(all)) if (field !== HEARTBEAT_FIELD) out.set(field, value);
    return out;
  }

  /** Every executor's in-flight key except ours. */
  async otherKeys(): Promise<string[]> {
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 200);
      cursor = next;
      for (const k of batch) if (k !== this.key) keys.add(k);
    } while (cursor !== '0');
    return [...keys];
  }

  /** Moves a dead executor's records to us; null while its heartbeat is live. */
  async takeOver(otherKey: string): Promise<string[] | null> {
    const reply = await TAKEOVER.run(this.redis, [otherKey, this.key], []);
    if (reply === -1) return null;
    return Array.isArray(reply) ? reply.filter((v): v is string => typeof v === 'string') : [];
  }
}
