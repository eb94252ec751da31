import { LuaScript } from '../coordination/lua-script';

/** Hash field holding the owner's heartbeat (server-clock expiry, ms); opportunity ids never start with `~`. */
export const HEARTBEAT_FIELD = '~hb';
/** `~f:<oppId>`: the stamp (process instance) of the record's owner; only that instance may rewrite/delete it. */
export const STAMP_PREFIX = '~f:';

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** KEYS[1] own key; ARGV ttlMs → sets the heartbeat to server now + ttl. */
export const HEARTBEAT = new LuaScript(`${NOW}
redis.call('HSET', KEYS[1], '${HEARTBEAT_FIELD}', string.format('%.0f', now + tonumber(ARGV[1])))
return 1
`);

/** KEYS[1] own key; ARGV oppId, instance, json → 1 written, 0 the record is not ours (gone or re-stamped). */
export const FENCED_UPDATE = new LuaScript(`
if redis.call('HGET', KEYS[1], '${STAMP_PREFIX}' .. ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`);

/** KEYS[1] own key; ARGV oppId, instance, json → 1 created (stamped `instance`), 0 a record of that trade is there. */
export const PUT_IF_ABSENT = new LuaScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3], '${STAMP_PREFIX}' .. ARGV[1], ARGV[2])
return 1
`);

/**
 * KEYS[1] own key; ARGV oppId, instance, json → 1 written; 0 a record of that trade is there (not ours: fenced); -1 our
 * heartbeat is missing or expired (wait for the next one). Re-creates a record Redis lost, see InflightStore.recreate.
 */
export const RECREATE = new LuaScript(`${NOW}
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
local hb = redis.call('HGET', KEYS[1], '${HEARTBEAT_FIELD}')
if not hb or not tonumber(hb) or tonumber(hb) <= now then return -1 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3], '${STAMP_PREFIX}' .. ARGV[1], ARGV[2])
return 1
`);

/** KEYS[1] own key; ARGV oppId, instance → 1 deleted, 0 the record is not ours (nothing deleted). */
export const FENCED_REMOVE = new LuaScript(`
if redis.call('HGET', KEYS[1], '${STAMP_PREFIX}' .. ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1], '${STAMP_PREFIX}' .. ARGV[1])
return 1
`);

/**
 * The next fencing token of the trade semaphore's counter: last + 1, never below the server time in µs (the
 * semaphore's ACQUIRE uses the same rule, so tokens keep increasing across both and across data loss).
 */
const NEXT_TOKEN = `
local function nextToken(fence)
  local tt = redis.call('TIME')
  local nowUs = tonumber(tt[1]) * 1000000 + tonumber(tt[2])
  local token = math.max(tonumber(redis.call('GET', fence) or '0') + 1, nowUs)
  local s = string.format('%.0f', token)
  redis.call('SET', fence, s)
  return s
end
`;

/** KEYS[1] own key, KEYS[2] fence counter; ARGV oppId, instance → {json, token} (re-stamped ours), or false if gone. */
export const CLAIM = new LuaScript(`${NEXT_TOKEN}
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return false end
redis.call('HSET', KEYS[1], '${STAMP_PREFIX}' .. ARGV[1], ARGV[2])
return { json, nextToken(KEYS[2]) }
`);

/**
 * KEYS[1] other executor's key, KEYS[2] own key, KEYS[3] trade semaphore zset; ARGV heartbeatTtlMs, instance.
 * -1 while the other executor's heartbeat is live. A key with records but no heartbeat at all (Redis lost its data and
 * a write re-created the key before the owner's next heartbeat) is NOT taken as dead: its expiry clock is started
 * (heartbeat := now + ttl), so a live owner's next heartbeat keeps it, a dead one's key is taken a TTL later.
 * Otherwise moves each record whose trade holds no live semaphore lease (holder `<holder>|<token>` members scored by
 * expiry) into the own key, stamped with `instance`, and returns the moved values; records of trades whose lease is
 * still live stay (taken by a later sweep once it expired). The other key is deleted once no record is left in it.
 * Atomic: two sweepers never take the same record, and the previous owner's fenced writes fail from then on.
 */
export const TAKEOVER = new LuaScript(`${NOW}
local other, own, zset = KEYS[1], KEYS[2], KEYS[3]
if redis.call('EXISTS', other) == 0 then return {} end
local hb = redis.call('HGET', other, '${HEARTBEAT_FIELD}')
if not hb or not tonumber(hb) then
  redis.call('HSET', other, '${HEARTBEAT_FIELD}', string.format('%.0f', now + tonumber(ARGV[1])))
  return -1
end
if tonumber(hb) > now then return -1 end
local live = redis.call('ZRANGEBYSCORE', zset, '(' .. now, '+inf')
local function leased(holder)
  if type(holder) ~= 'string' then return false end
  local prefix = holder .. '|'
  for _, m in ipairs(live) do
    if string.sub(m, 1, #prefix) == prefix then return true end
  end
  return false
end
local all = redis.call('HGETALL', other)
local moved, left = {}, 0
for i = 1, #all, 2 do
  local f, v = all[i], all[i + 1]
  if string.sub(f, 1, 1) ~= '~' then
    local ok, rec = pcall(cjson.decode, v)
    if ok and type(rec) == 'table' and leased(rec.holder) then
      left = left + 1
    else
      redis.call('HSET', own, f, v, '${STAMP_PREFIX}' .. f, ARGV[2])
      redis.call('HDEL', other, f, '${STAMP_PREFIX}' .. f)
      moved[#moved + 1] = v
    end
  end
end
if left == 0 then redis.call('DEL', other) end
return moved
`);
