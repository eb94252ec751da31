import { DECIMAL_LUA } from './decimal-lua';
import { LuaScript } from './lua-script';

/**
 * Inventory hash `arb:inv:<venue>:<asset>`: `available` = free (unreserved) amount, `reserved` = amount set aside for
 * trades in flight, `h:<holder>` = one holder's part of `reserved` (optional). The asset's balance on the venue is
 * available + reserved. Every script parses all inputs and stored values before its first write.
 */
const HOLDER_FIELD = `
local function holderField(holder)
  if holder == '' then return nil end
  return 'h:' .. holder
end
`;

/** KEYS[1..n]; ARGV[1] holder or '', ARGV[2..n+1] amounts → 1 all reserved, 0 none (some available would go < 0). */
export const RESERVE = new LuaScript(`${DECIMAL_LUA}${HOLDER_FIELD}
local hfield = holderField(ARGV[1])
local states, order = {}, {}
for i, key in ipairs(KEYS) do
  local amount = dparse(ARGV[i + 1], 'amount')
  if amount.neg then error({ err = 'ERR negative amount' }) end
  local st = states[key]
  if not st then
    local v = redis.call('HMGET', key, 'available', 'reserved', hfield or 'reserved')
    st = { available = dopt(v[1], 'available'), reserved = dopt(v[2], 'reserved') }
    if hfield then st.held = dopt(v[3], 'held') end
    states[key] = st
    order[#order + 1] = key
  end
  st.available = dsub(st.available, amount)
  st.reserved = dadd(st.reserved, amount)
  if hfield then st.held = dadd(st.held, amount) end
end
for _, key in ipairs(order) do
  if states[key].available.neg then return 0 end
end
for _, key in ipairs(order) do
  local st = states[key]
  redis.call('HSET', key, 'available', dfmt(st.available), 'reserved', dfmt(st.reserved))
  if hfield then redis.call('HSET', key, hfield, dfmt(st.held)) end
end
return 1
`);

/**
 * KEYS[1]; ARGV holder or '', amount or '*' (the holder's whole part), delta (signed) → the amount actually taken
 * out of `reserved` (capped by what is reserved, and by the holder's part), or nil when the key does not exist.
 * reserved -= taken; available += taken + delta: the balance changes by exactly delta. Release = delta 0.
 */
export const SETTLE = new LuaScript(`${DECIMAL_LUA}${HOLDER_FIELD}
local key = KEYS[1]
local hfield = holderField(ARGV[1])
local amount = nil
if ARGV[2] ~= '*' then
  amount = dparse(ARGV[2], 'amount')
  if amount.neg then error({ err = 'ERR negative amount' }) end
end
local delta = dparse(ARGV[3], 'delta')
if redis.call('EXISTS', key) == 0 then return false end
local v = redis.call('HMGET', key, 'available', 'reserved', hfield or 'reserved')
local available, reserved = dopt(v[1], 'available'), dopt(v[2], 'reserved')
local held = nil
if hfield then held = dopt(v[3], 'held') end
local taken = reserved
if amount then taken = dmin(taken, amount) end
if held then taken = dmin(taken, held) end
if taken.neg then taken = DZERO end
redis.call('HSET', key, 'available', dfmt(dadd(dadd(available, taken), delta)), 'reserved', dfmt(dsub(reserved, taken)))
if held then
  local rest = dsub(held, taken)
  if rest.d == '0' or rest.neg then redis.call('HDEL', key, hfield) else redis.call('HSET', key, hfield, dfmt(rest)) end
end
return dfmt(taken)
`);

/** KEYS[1]; ARGV balance → available := balance - reserved (reservations stay); returns the new available. */
export const SET_BALANCE = new LuaScript(`${DECIMAL_LUA}
local balance = dparse(ARGV[1], 'balance')
local reserved = dopt(redis.call('HGET', KEYS[1], 'reserved'), 'reserved')
local available = dfmt(dsub(balance, reserved))
redis.call('HSET', KEYS[1], 'available', available, 'reserved', dfmt(reserved))
return available
`);

/**
 * Exactly-once settlement of one trade over all the entries it moved. KEYS[1..n]; ARGV[1] holder, then per key an
 * amount to take out of `reserved` (capped as in SETTLE) and a signed delta. → 1 applied; 0 nothing applied because
 * the holder's reservation is on none of the keys (settled already, e.g. by the executor that took the trade over,
 * or lost with Redis' data: the ledger is then corrected from the venues). Missing keys are skipped.
 */
export const SETTLE_TRADE = new LuaScript(`${DECIMAL_LUA}
local hfield = 'h:' .. ARGV[1]
local found = false
for _, key in ipairs(KEYS) do
  if redis.call('HEXISTS', key, hfield) == 1 then found = true end
end
if not found then return 0 end
local plans = {}
for i, key in ipairs(KEYS) do
  local amount = dparse(ARGV[2 * i], 'amount')
  if amount.neg then error({ err = 'ERR negative amount' }) end
  local p = { key = key, amount = amount, delta = dparse(ARGV[2 * i + 1], 'delta'), exists = redis.call('EXISTS', key) == 1 }
  if p.exists then
    local v = redis.call('HMGET', key, 'available', 'reserved', hfield)
    p.available, p.reserved, p.held = dopt(v[1], 'available'), dopt(v[2], 'reserved'), dopt(v[3], 'held')
  end
  plans[i] = p
end
for _, p in ipairs(plans) do
  if p.exists then
    local taken = dmin(dmin(p.reserved, p.amount), p.held)
    if taken.neg then taken = DZERO end
    redis.call('HSET', p.key, 'available', dfmt(dadd(dadd(p.available, taken), p.delta)), 'reserved', dfmt(dsub(p.reserved, taken)))
    local rest = dsub(p.held, taken)
    if rest.d == '0' or rest.neg then redis.call('HDEL', p.key, hfield) else redis.call('HSET', p.key, hfield, dfmt(rest)) end
  end
end
return 1
`);

/**
 * Ledger := venue balances, only while no trade can be moving them. KEYS[1] the trade semaphore's fence counter,
 * KEYS[2] its lease zset, KEYS[3..n] inventory keys; ARGV[1] the fence value read before the venues were asked ('' =
 * none), ARGV[2..] each key's venue total (free + locked). If a lease was issued since (fence changed) or one is live,
 * → false (try again later). Else each entry becomes available = total, reserved = 0, holder parts dropped (no trade
 * is in flight: what is still reserved leaked), and the previous balance (available + reserved, '' if the entry was
 * missing) of each key is returned.
 */
export const SET_TOTALS_IF_QUIET = new LuaScript(`${DECIMAL_LUA}
local t = redis.call('TIME')
local nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then return false end
if redis.call('ZCOUNT', KEYS[2], '(' .. nowMs, '+inf') > 0 then return false end
local totals = {}
for i = 3, #KEYS do totals[i] = dparse(ARGV[i - 1], 'total') end
local prev, holders = {}, {}
for i = 3, #KEYS do
  local key = KEYS[i]
  if redis.call('EXISTS', key) == 1 then
    local all = redis.call('HGETALL', key)
    local available, reserved = DZERO, DZERO
    for j = 1, #all, 2 do
      local f = all[j]
      if f == 'available' then available = dparse(all[j + 1], 'available')
      elseif f == 'reserved' then reserved = dparse(all[j + 1], 'reserved')
      elseif string.sub(f, 1, 2) == 'h:' then holders[#holders + 1] = { key, f } end
    end
    prev[#prev + 1] = dfmt(dadd(available, reserved))
  else
    prev[#prev + 1] = ''
  end
end
for _, h in ipairs(holders) do redis.call('HDEL', h[1], h[2]) end
for i = 3, #KEYS do redis.call('HSET', KEYS[i], 'available', dfmt(totals[i]), 'reserved', '0') end
return prev
`);
