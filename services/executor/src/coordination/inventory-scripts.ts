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
