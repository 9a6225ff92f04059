// The per-row bookkeeping of a queued broadcast, each step one atomic Lua script, so workers that
// race on a row (a stalled job picked up while its first worker is still sending) agree on what
// happened. Per broadcast there are three keys:
//   rows     SET   every row key ever enqueued (the total)
//   results  HASH  row key -> JSON: {"status":"sending",...} while a send is under way, then the
//                  final record: sent, failed or maybe_sent
//   counts   HASH  sent / failed / maybe_sent -> how many rows are in that final state
// A row is pending while it has no final record. 'sent' is never overwritten by anything else: a
// send the gateway accepted is the one fact that must not be lost.

/**
 * Claims a row before its send. KEYS: results, counts. ARGV: row key, exclusive ('1' when the
 * gateway does not deduplicate), the 'sending' record.
 * Returns {'ok'}, {'done', record} (already sent, or maybe sent on an exclusive claim: do not send)
 * or {'claimed', record} (exclusive only: an earlier attempt started sending and never reported).
 */
export const CLAIM = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local status = cjson.decode(current).status
  if status == 'sent' then return {'done', current} end
  if ARGV[2] == '1' then
    if status == 'maybe_sent' then return {'done', current} end
    if status == 'sending' then return {'claimed', current} end
  end
  if status ~= 'sending' then redis.call('HINCRBY', KEYS[2], status, -1) end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return {'ok'}
`;

/**
 * Stores a row's final record. KEYS: results, counts, rows. ARGV: row key, record, its status.
 * Returns '' when stored, or the row's record when that is a send and the new record is not one
 * (two tries raced and one of them did send: that is the truth to keep).
 */
export const RECORD = `
redis.call('SADD', KEYS[3], ARGV[1])
local current = redis.call('HGET', KEYS[1], ARGV[1])
local old = current and cjson.decode(current).status
if old == 'sent' and ARGV[3] ~= 'sent' then return current end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if old ~= ARGV[3] then
  redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
  if old and old ~= 'sending' then redis.call('HINCRBY', KEYS[2], old, -1) end
end
return ''
`;

/**
 * Gives a claim back after the gateway turned the send away (it did not take the message), so
 * the retry may send. KEYS: results. ARGV: row key.
 */
export const RELEASE = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and cjson.decode(current).status == 'sending' then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 1
end
return 0
`;

/**
 * For a job that BullMQ failed without the processor recording it (it stalled too often): a row
 * whose send had started becomes maybe_sent, a row never sent becomes failed; a row already
 * recorded is left alone. KEYS: results, counts, rows. ARGV: row key, maybe_sent record, failed
 * record. Returns 'maybe_sent', 'failed' or '' (nothing changed).
 */
export const SETTLE = `
redis.call('SADD', KEYS[3], ARGV[1])
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  if cjson.decode(current).status ~= 'sending' then return '' end
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('HINCRBY', KEYS[2], 'maybe_sent', 1)
  return 'maybe_sent'
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HINCRBY', KEYS[2], 'failed', 1)
return 'failed'
`;
