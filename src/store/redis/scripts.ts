/**
 * The two Lua scripts that make the Redis snapshot consistent: a write applies a batch of
 * field changes, bumps the version, logs which fields changed and notifies, all atomically;
 * a read returns everything that changed since a version, as of one version. Both take
 * KEYS = version, epoch, log, decisions, allowlist, campaigns, orgs (see keys.ts).
 */

/**
 * ARGV: channel, log max length, epoch to set if the version starts over, force ('1': write
 * a log entry even when nothing changed, so a first sync creates the version), then groups of
 * six: hash index (1-4), field, 's' (set) or 'd' (delete), value, guard ('*' always, '0' only
 * if the field is absent, '=' only if it equals the next argument), guard value.
 * Guards let a resync from PostgreSQL skip a field that a newer live write changed meanwhile.
 * Returns { version, changed fields }.
 */
export const WRITE_SCRIPT = `
local changed = {}
for i = 5, #ARGV, 6 do
  local key = KEYS[3 + tonumber(ARGV[i])]
  local field = ARGV[i + 1]
  local cur = redis.call('HGET', key, field)
  local guard = ARGV[i + 4]
  if guard == '*' or (guard == '0' and not cur) or (guard == '=' and cur == ARGV[i + 5]) then
    if ARGV[i + 2] == 's' then
      if cur ~= ARGV[i + 3] then
        redis.call('HSET', key, field, ARGV[i + 3])
        changed[#changed + 1] = ARGV[i] .. ':' .. field
      end
    elseif cur then
      redis.call('HDEL', key, field)
      changed[#changed + 1] = ARGV[i] .. ':' .. field
    end
  end
end
local exists = redis.call('EXISTS', KEYS[1]) == 1
if #changed == 0 and ARGV[4] ~= '1' and exists then
  return { tonumber(redis.call('GET', KEYS[1])), 0 }
end
local v = redis.call('INCR', KEYS[1])
if v == 1 or redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('SET', KEYS[2], ARGV[3])
end
local list = '[]'
if #changed > 0 then list = cjson.encode(changed) end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], v .. '-0', 'f', list)
redis.call('PUBLISH', ARGV[1], v)
return { v, #changed }
`;

/**
 * ARGV: epoch held, version held, most fields to return. Returns one of
 * { 'empty', epoch, 0 } (nothing published yet), { 'same', epoch, v },
 * { 'reload', epoch, v } (another epoch, the log no longer reaches back, or too many changes),
 * { 'changes', epoch, v, field1, value1 or nil, ... } with fields as "<hash index>:<field>".
 */
export const CHANGES_SCRIPT = `
local v = tonumber(redis.call('GET', KEYS[1]) or '0')
local epoch = redis.call('GET', KEYS[2]) or ''
if v == 0 then return { 'empty', epoch, 0 } end
if epoch ~= ARGV[1] then return { 'reload', epoch, v } end
local from = tonumber(ARGV[2])
if v == from then return { 'same', epoch, v } end
if v < from then return { 'reload', epoch, v } end
local first = (from + 1) .. '-0'
local entries = redis.call('XRANGE', KEYS[3], first, '+')
if #entries == 0 or entries[1][1] ~= first then return { 'reload', epoch, v } end
local limit = tonumber(ARGV[3])
local seen = {}
local n = 0
local out = { 'changes', epoch, v }
for _, e in ipairs(entries) do
  for _, f in ipairs(cjson.decode(e[2][2])) do
    if not seen[f] then
      seen[f] = true
      n = n + 1
      if n > limit then return { 'reload', epoch, v } end
      local sep = string.find(f, ':', 1, true)
      out[#out + 1] = f
      out[#out + 1] = redis.call('HGET', KEYS[3 + tonumber(string.sub(f, 1, sep - 1))], string.sub(f, sep + 1))
    end
  end
end
return out
`;
