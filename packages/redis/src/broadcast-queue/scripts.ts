// The per-row bookkeeping of a queued broadcast, each step one atomic Lua script, so workers that
// race on a row (a stalled job picked up while its first worker is still sending) agree on what
// happened. Per broadcast there are four keys:
//   rows     SET   every row key ever enqueued (the total)
//   results  HASH  row key -> JSON: {"status":"sending","attempt":n,"startedAt":iso} while a send
//                  is under way, then the final record: sent, failed, maybe_sent or skipped
//                  (refused by the client's send policy; like failed, a later try may send it)
//   counts   HASH  sent / failed / maybe_sent / skipped -> how many rows are in that final state
//   sentTo   HASH  recipient number -> the message ids sent to it, space-separated, so that
//                  reconciling one row never takes another row's message to the same number
// A row is pending while it has no final record. 'sent' is never overwritten by anything else: a
// send the gateway accepted is the one fact that must not be lost.
//
// The four keys share the queue's BullMQ prefix, a hash tag on a Redis Cluster (keys.ts), so each
// script's keys are in one slot there. The scripts run with EVALSHA (runScript).

import { luaScript } from '../script.js';

/**
 * Claims a row before its send. KEYS: results, counts. ARGV: row key, exclusive ('1' when the
 * gateway does not deduplicate, or the row is not to be sent again), attempt, now (ISO).
 * Returns {'ok', sending record} (send), {'done', record} (already sent, or maybe sent on an
 * exclusive claim: do not send) or {'claimed', sending record} (exclusive only: an earlier try
 * started sending and never reported). The sending record keeps the start of the first try that
 * may have been accepted: the gateway's records are searched from then.
 */
export const CLAIM = luaScript(`
local current = redis.call('HGET', KEYS[1], ARGV[1])
local startedAt = ARGV[4]
if current then
  local record = cjson.decode(current)
  if record.status == 'sent' then return {'done', current} end
  if ARGV[2] == '1' then
    if record.status == 'maybe_sent' then return {'done', current} end
    if record.status == 'sending' then return {'claimed', current} end
  end
  if record.status ~= 'sending' then redis.call('HINCRBY', KEYS[2], record.status, -1) end
  startedAt = record.startedAt or startedAt
end
local sending = cjson.encode({status = 'sending', attempt = tonumber(ARGV[3]), startedAt = startedAt})
redis.call('HSET', KEYS[1], ARGV[1], sending)
return {'ok', sending}
`);

/**
 * Stores a row's final record. KEYS: results, counts, rows, sentTo. ARGV: row key, record, its
 * status, the recipient's number ('' when it has none) and, for a send, its message id.
 * Returns '' when stored, or the row's record when that is a send and the new record is not one
 * (two tries raced and one of them did send: that is the truth to keep).
 */
export const RECORD = luaScript(`
redis.call('SADD', KEYS[3], ARGV[1])
local current = redis.call('HGET', KEYS[1], ARGV[1])
local old = current and cjson.decode(current).status
if old == 'sent' and ARGV[3] ~= 'sent' then return current end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if old ~= ARGV[3] then
  redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
  if old and old ~= 'sending' then redis.call('HINCRBY', KEYS[2], old, -1) end
end
if ARGV[3] == 'sent' and ARGV[4] ~= '' then
  local ids = redis.call('HGET', KEYS[4], ARGV[4])
  redis.call('HSET', KEYS[4], ARGV[4], ids and (ids .. ' ' .. ARGV[5]) or ARGV[5])
end
return ''
`);

/**
 * Gives a claim back after the gateway turned the send away (it did not take the message), so
 * the retry may send. KEYS: results. ARGV: row key.
 */
export const RELEASE = luaScript(`
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and cjson.decode(current).status == 'sending' then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 1
end
return 0
`);

/**
 * For a job that BullMQ failed without the processor recording it (its workers kept dying, even
 * while settling it): a row whose send had started becomes maybe_sent (with that send's start), a
 * row never sent becomes failed; a row already recorded is left alone. KEYS: results, counts,
 * rows. ARGV: row key, maybe_sent record, failed record. Returns the record stored, or ''.
 */
export const SETTLE = luaScript(`
redis.call('SADD', KEYS[3], ARGV[1])
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local sending = cjson.decode(current)
  if sending.status ~= 'sending' then return '' end
  local maybeSent = cjson.decode(ARGV[2])
  maybeSent.startedAt = sending.startedAt
  local stored = cjson.encode(maybeSent)
  redis.call('HSET', KEYS[1], ARGV[1], stored)
  redis.call('HINCRBY', KEYS[2], 'maybe_sent', 1)
  return stored
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HINCRBY', KEYS[2], 'failed', 1)
return ARGV[3]
`);
