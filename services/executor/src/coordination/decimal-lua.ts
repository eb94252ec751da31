/**
 * Exact decimal arithmetic for Redis Lua scripts, on strings (never Lua numbers, which are doubles).
 * A value is `{ neg, d, s }` = (neg ? -1 : 1) * d / 10^s, where `d` is a digit string without leading zeros ('0' for
 * zero) and the scale `s` has no redundant trailing zeros. `dparse` raises a script error (before any write, so
 * callers parse everything first) for anything but `-?digits[.digits]` of at most 80 characters.
 */
export const DECIMAL_LUA = `
local function dnorm(neg, d, s)
  d = string.gsub(d, '^0+', '')
  if d == '' then return { neg = false, d = '0', s = 0 } end
  while s > 0 and string.sub(d, -1) == '0' do
    d = string.sub(d, 1, -2)
    s = s - 1
  end
  return { neg = neg, d = d, s = s }
end

local function dparse(str, what)
  if type(str) ~= 'string' or #str > 80 then error({ err = 'ERR invalid decimal ' .. tostring(what) }) end
  local sign, ip, fp = string.match(str, '^(%-?)(%d+)%.?(%d*)$')
  if not ip then error({ err = 'ERR invalid decimal ' .. tostring(what) .. ': ' .. str }) end
  return dnorm(sign == '-', ip .. fp, #fp)
end

local DZERO = { neg = false, d = '0', s = 0 }

local function dopt(str, what)
  if not str then return DZERO end
  return dparse(str, what)
end

local function dfmt(x)
  local d = x.d
  if x.s > 0 then
    if #d <= x.s then d = string.rep('0', x.s - #d + 1) .. d end
    d = string.sub(d, 1, #d - x.s) .. '.' .. string.sub(d, #d - x.s + 1)
  end
  if x.neg then return '-' .. d end
  return d
end

local function scaled(x, s)
  if x.d == '0' then return '0' end
  return x.d .. string.rep('0', s - x.s)
end

local function ucmp(a, b)
  if #a ~= #b then
    if #a < #b then return -1 end
    return 1
  end
  if a == b then return 0 end
  if a < b then return -1 end
  return 1
end

local function uadd(a, b)
  local out, i, j, carry = {}, #a, #b, 0
  while i > 0 or j > 0 or carry > 0 do
    local v = carry
    if i > 0 then v = v + string.byte(a, i) - 48 end
    if j > 0 then v = v + string.byte(b, j) - 48 end
    if v >= 10 then
      v = v - 10
      carry = 1
    else
      carry = 0
    end
    out[#out + 1] = string.char(48 + v)
    i = i - 1
    j = j - 1
  end
  return string.reverse(table.concat(out))
end

local function usub(a, b)
  local out, i, j, borrow = {}, #a, #b, 0
  while i > 0 do
    local v = string.byte(a, i) - 48 - borrow
    if j > 0 then v = v - (string.byte(b, j) - 48) end
    if v < 0 then
      v = v + 10
      borrow = 1
    else
      borrow = 0
    end
    out[#out + 1] = string.char(48 + v)
    i = i - 1
    j = j - 1
  end
  return string.reverse(table.concat(out))
end

local function dadd(x, y)
  local s = math.max(x.s, y.s)
  local a, b = scaled(x, s), scaled(y, s)
  if x.neg == y.neg then return dnorm(x.neg, uadd(a, b), s) end
  local c = ucmp(a, b)
  if c == 0 then return DZERO end
  if c > 0 then return dnorm(x.neg, usub(a, b), s) end
  return dnorm(y.neg, usub(b, a), s)
end

local function dneg(x)
  if x.d == '0' then return x end
  return { neg = not x.neg, d = x.d, s = x.s }
end

local function dsub(x, y) return dadd(x, dneg(y)) end

local function dcmp(x, y)
  local r = dsub(x, y)
  if r.d == '0' then return 0 end
  if r.neg then return -1 end
  return 1
end

local function dmin(x, y)
  if dcmp(x, y) <= 0 then return x end
  return y
end
`;
