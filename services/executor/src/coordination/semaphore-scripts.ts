import { LuaScript } from './lua-script';

/**
 * Semaphore scripts. The zset holds one member `<holder>|<token>` per lease, scored by its expiry in ms of the
 * Redis server's clock (TIME inside the script: client clocks never matter). The zset's own TTL is kept at least as
 * long as its latest lease, so an abandoned semaphore disappears.
 */
const NOW = `
local t = redis.call('TIME')
local nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

const TOUCH = `
local function touch(key, leaseMs)
  local pttl = redis.call('PTTL', key)
  if pttl < leaseMs then redis.call('PEXPIRE', key, leaseMs) end
end
`;

/**
 * KEYS[1] zset, KEYS[2] fence counter; ARGV limit, leaseMs, holder → token or nil (false).
 * Drops expired leases; a holder that already has a live lease gets it back (a retried acquire whose reply was lost
 * must not take a second slot), extended. Otherwise, if fewer than `limit` leases are live, issues the next fencing
 * token: last + 1, but never below the server time in µs, so tokens keep increasing even after Redis lost its data.
 */
export const ACQUIRE = new LuaScript(`${NOW}${TOUCH}
local zset, fence = KEYS[1], KEYS[2]
local limit, leaseMs, holder = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
redis.call('ZREMRANGEBYSCORE', zset, '-inf', nowMs)
local expiry = nowMs + leaseMs
local prefix = holder .. '|'
for _, m in ipairs(redis.call('ZRANGE', zset, 0, -1)) do
  if string.sub(m, 1, #prefix) == prefix then
    redis.call('ZADD', zset, expiry, m)
    touch(zset, leaseMs)
    return tonumber(string.sub(m, #prefix + 1))
  end
end
if redis.call('ZCARD', zset) >= limit then return false end
local nowUs = tonumber(t[1]) * 1000000 + tonumber(t[2])
local token = math.max(tonumber(redis.call('GET', fence) or '0') + 1, nowUs)
local tokenStr = string.format('%.0f', token)
redis.call('SET', fence, tokenStr)
redis.call('ZADD', zset, expiry, holder .. '|' .. tokenStr)
touch(zset, leaseMs)
return token
`);

/** KEYS[1] zset; ARGV member, leaseMs → 1 extended, 0 lost (gone or already expired; an expired one is removed). */
export const RENEW = new LuaScript(`${NOW}${TOUCH}
local zset, member, leaseMs = KEYS[1], ARGV[1], tonumber(ARGV[2])
local score = redis.call('ZSCORE', zset, member)
if not score then return 0 end
if tonumber(score) <= nowMs then
  redis.call('ZREM', zset, member)
  return 0
end
redis.call('ZADD', zset, 'XX', nowMs + leaseMs, member)
touch(zset, leaseMs)
return 1
`);

/** KEYS[1] zset → number of live (unexpired) leases. */
export const IN_USE = new LuaScript(`${NOW}
return redis.call('ZCOUNT', KEYS[1], '(' .. nowMs, '+inf')
`);

/** KEYS[1] zset; ARGV holder → leases of that holder removed (its trade is over: its process died, another finished it). */
export const RELEASE_HOLDER = new LuaScript(`
local prefix, n = ARGV[1] .. '|', 0
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if string.sub(m, 1, #prefix) == prefix then
    redis.call('ZREM', KEYS[1], m)
    n = n + 1
  end
end
return n
`);
