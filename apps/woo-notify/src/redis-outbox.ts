import { Queue } from 'bullmq';
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { Job } from './order.js';
import {
  FAILED_STATES,
  type FailedPage,
  type OutboxRow,
  type OutboxState,
  type OutboxStore,
  type RowPatch,
} from './outbox.js';
import type { ReconcileStore } from './reconcile.js';

/**
 * The outbox for several instances: one Redis shared by all of them.
 *
 * - `<prefix>:rows` (hash, dedupe key → row JSON) is the record and the dedupe: a row is created
 *   once per (order, status, recipient), atomically, and never deleted, so a redelivered webhook
 *   to any instance adds nothing, even after BullMQ removed the finished job.
 * - `<prefix>:ids` (hash, row id → dedupe key) serves the admin API's numeric ids.
 * - Indexes, kept by the same scripts that change a row's state, so reading them never scans the
 *   rows: `<prefix>:counts` (hash, state → rows), `<prefix>:failed` (sorted set of the dead,
 *   maybe-sent, failed and skipped rows' keys by id, which `GET /admin/failed` pages through),
 *   `<prefix>:pending` (sorted set of pending rows' keys by creation time, for the oldest's age),
 *   and for the reconciler `<prefix>:uncertain` and `<prefix>:sent` (see REINDEX).
 * - BullMQ queue `send` under `<prefix>` carries one job per sendable row, job id = the dedupe key
 *   URI-encoded (BullMQ refuses ':'), worked by every instance (see redis-worker.ts).
 * - On a Redis Cluster (`cluster: true`) the prefix becomes the hash tag `{<prefix>}`: the rows,
 *   the ids, the sequence and every key of the BullMQ queue share one slot, as the scripts and
 *   BullMQ's own scripts require.
 *
 * The scripts are ioredis custom commands (`defineCommand`): EVALSHA, with the script text sent
 * once per connection (and again after a NOSCRIPT), in pipelines too.
 */
export interface RedisOutbox extends OutboxStore, ReconcileStore {
  readonly redis: Redis | Cluster;
  /** The key prefix in use: `prefix`, or `{prefix}` on a Cluster. */
  readonly keyPrefix: string;
  readonly queue: Queue<SendJobData>;
  enqueueGroups(groups: Job[][]): Promise<number[]>;
  failedPage(after: number, limit: number): Promise<FailedPage>;
  replay(id: number): Promise<boolean>;
  replayAll(): Promise<number>;
  counts(): Promise<Record<OutboxState, number>>;
  oldestPendingAt(): Promise<number | undefined>;
  /**
   * Builds the indexes from the rows, once per prefix (rows written by a version without them);
   * afterwards the scripts keep them. Returns how many rows it indexed (0 once built).
   */
  index(): Promise<number>;
  all(): Promise<OutboxRow[]>;
  row(key: string): Promise<OutboxRow | undefined>;
  /** Takes the row for one job (see CLAIM). */
  claim(
    key: string,
    jobId: string,
    gatewayDeduplicates: boolean,
  ): Promise<{ result: ClaimResult; row?: OutboxRow }>;
  /** Records the result of an attempt on a claimed row (atomically, keeping the other fields). */
  update(key: string, patch: RowPatch): Promise<void>;
  uncertainRows(): Promise<OutboxRow[]>;
  messageIdsTo(recipient: string): Promise<string[]>;
  /** The reconciler's verdict, if the row is unchanged since read; a row back to pending gets a job. */
  settle(row: OutboxRow, patch: RowPatch): Promise<boolean>;
  /** Whether Redis answers PING within `timeoutMs` (default 3 s). */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/** A BullMQ send job: the dedupe key of its row. */
export interface SendJobData {
  key: string;
}

/** The BullMQ queue name under the prefix. */
export const SEND_QUEUE = 'send';

/**
 * Keeps the indexes in step with a row: `marks(row)` is what the indexes know of it, taken before a
 * change, and `reindex` moves the row between them after it (`before` nil: a new row). Every
 * script starts with it; KEYS[1] is the rows, KEYS[2..6] the indexes. A row's `recipient` is
 * digits whenever it has a gateway message id (only sendable rows get one).
 *
 * - The uncertain index holds the rows the reconciler looks up: sendable, and in flight, maybe
 *   sent, or pending after such an attempt (the SQLite outbox's `uncertainRows` query).
 * - The sent index holds `<recipient>:<gateway message id>` for every row with an id, so the ids
 *   sent to one customer are a range (ZRANGEBYLEX), which the reconciler must not match to an
 *   uncertain send.
 */
const REINDEX = `
local FAILED = {${FAILED_STATES.map((state) => `${state} = true`).join(', ')}}
local function absent(v) return v == nil or v == cjson.null end
local function marks(row)
  local uncertain = not absent(row.message) and (row.state == 'maybe_sent' or row.state == 'sending'
    or (row.state == 'pending' and not absent(row.uncertain_since)))
  local sent = nil
  if not absent(row.gateway_message_id) and not absent(row.recipient) then
    sent = row.recipient .. ':' .. row.gateway_message_id
  end
  return {state = row.state, uncertain = uncertain, sent = sent}
end
local function reindex(key, row, before)
  local after = marks(row)
  local from = before and before.state
  if from ~= after.state then
    if from then
      redis.call('HINCRBY', KEYS[2], from, -1)
      if FAILED[from] then redis.call('ZREM', KEYS[3], key) end
      if from == 'pending' then redis.call('ZREM', KEYS[4], key) end
    end
    redis.call('HINCRBY', KEYS[2], after.state, 1)
    if FAILED[after.state] then redis.call('ZADD', KEYS[3], row.id, key) end
    if after.state == 'pending' then redis.call('ZADD', KEYS[4], row.created_at, key) end
  end
  if after.uncertain then redis.call('ZADD', KEYS[5], row.id, key)
  elseif before and before.uncertain then redis.call('ZREM', KEYS[5], key) end
  local sentBefore = before and before.sent
  if sentBefore ~= after.sent then
    if sentBefore then redis.call('ZREM', KEYS[6], sentBefore) end
    if after.sent then redis.call('ZADD', KEYS[6], 0, after.sent) end
  end
end
`;

/** KEYS[7] ids, KEYS[8] the id sequence; ARGV: key, row JSON without id. */
const CREATE = `${REINDEX}
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then return {0, existing} end
local id = redis.call('INCR', KEYS[8])
local text = '{"id":' .. id .. ',' .. string.sub(ARGV[2], 2)
redis.call('HSET', KEYS[1], ARGV[1], text)
redis.call('HSET', KEYS[7], tostring(id), ARGV[1])
reindex(ARGV[1], cjson.decode(text), nil)
return {1, text}`;

/**
 * The indexes from every row, once per version of them (KEYS[7] marks it done). One script, so no
 * write lands between the reading and the marking; its cost is one pass over the rows, paid once
 * per prefix and version.
 */
const INDEX = `${REINDEX}
if redis.call('EXISTS', KEYS[7]) == 1 then return 0 end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6])
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do reindex(all[i], cjson.decode(all[i + 1]), nil) end
redis.call('SET', KEYS[7], '1')
return #all / 2`;

/**
 * pending → sending for one job, atomically: a second job for the same row (a replay's job next to
 * a redelivery's) finds it taken and skips. The same job again (BullMQ re-running a job whose
 * instance died) finds its own claim: resumed, or `interrupted` on a non-deduplicating gateway.
 * Either way the dead instance's attempt may have reached the gateway: it joins the row's
 * uncertain attempts.
 */
const CLAIM = `${REINDEX}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return {'missing', ''} end
local row = cjson.decode(raw)
local resumed = row.state == 'sending' and row.job == ARGV[2]
if row.state ~= 'pending' and not resumed then return {'skip', raw} end
local before = marks(row)
if resumed then
  local started = row.attempt_started_at
  if absent(started) then started = row.updated_at end
  if absent(row.uncertain_since) then row.uncertain_since = started end
  row.uncertain_until = started
end
if resumed and ARGV[4] == '0' then
  local out = cjson.encode(row)
  redis.call('HSET', KEYS[1], ARGV[1], out)
  return {'interrupted', out}
end
row.state = 'sending'
row.attempts = row.attempts + 1
row.job = ARGV[2]
row.attempt_started_at = tonumber(ARGV[3])
row.updated_at = tonumber(ARGV[3])
reindex(ARGV[1], row, before)
local out = cjson.encode(row)
redis.call('HSET', KEYS[1], ARGV[1], out)
if resumed then return {'resumed', out} end
return {'claimed', out}`;

/**
 * Merges a patch (JSON) into a row and stamps updated_at. With ARGV[4] set it is the reconciler's
 * compare-and-set: only a row still maybe_sent and updated at ARGV[4] changes.
 */
const PATCH = `${REINDEX}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local row = cjson.decode(raw)
if ARGV[4] ~= '' and (row.state ~= 'maybe_sent' or row.updated_at ~= tonumber(ARGV[4])) then
  return 0
end
local before = marks(row)
for key, value in pairs(cjson.decode(ARGV[2])) do row[key] = value end
reindex(ARGV[1], row, before)
row.updated_at = tonumber(ARGV[3])
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(row))
return 1`;

/** What CLAIM found; see there. */
export type ClaimResult = 'claimed' | 'resumed' | 'interrupted' | 'skip' | 'missing';

/**
 * dead / maybe_sent (with a message) → pending, attempts reset; atomic across instances. With
 * ARGV[3] = '1' a skipped row is replayed too (one by one, not by replay all).
 */
const REPLAY = `${REINDEX}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local row = cjson.decode(raw)
local replayable = row.state == 'dead' or row.state == 'maybe_sent'
  or (row.state == 'skipped' and ARGV[3] == '1')
if not replayable or row.message == cjson.null then return 0 end
local before = marks(row)
row.state = 'pending'
row.attempts = 0
row.next_attempt_at = tonumber(ARGV[2])
row.updated_at = tonumber(ARGV[2])
reindex(ARGV[1], row, before)
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(row))
return 1`;

/** BullMQ refuses ':' in job ids. */
export function jobIdOf(key: string): string {
  return encodeURIComponent(key);
}

/** Finished jobs go: the row in `<prefix>:rows` is the record. */
export const SEND_JOB_OPTIONS = { removeOnComplete: true, removeOnFail: true };

/** Where the outbox's Redis is: one node, or a Redis Cluster reached through one of its nodes. */
export interface RedisTarget {
  url: string;
  /** `url` is a node of a Redis Cluster; ioredis finds the others. */
  cluster?: boolean;
}

/** A connection to `target`: a `Redis`, or a `Cluster` with `options` for each node. */
export function connectRedis(target: RedisTarget, options: RedisOptions = {}): Redis | Cluster {
  if (!target.cluster) return new Redis(target.url, options);
  const clusterOptions: ClusterOptions = { redisOptions: options };
  return new Cluster([target.url], clusterOptions);
}

/** The key prefix on `target`: on a Cluster a hash tag, so every key of the outbox shares a slot. */
export function keyPrefixOf(target: RedisTarget, prefix: string): string {
  return target.cluster ? `{${prefix}}` : prefix;
}

/** The rows and their indexes: the first six keys of every script. */
type RowKeys = [
  rows: string,
  counts: string,
  failed: string,
  pending: string,
  uncertain: string,
  sent: string,
];

/** The scripts as ioredis custom commands, on one connection (and its pipelines). */
interface OutboxCommands {
  wooCreate(
    ...args: [...RowKeys, ids: string, seq: string, key: string, row: string]
  ): Promise<[number, string]>;
  wooIndex(...args: [...RowKeys, marker: string]): Promise<number>;
  wooClaim(
    ...args: [...RowKeys, key: string, jobId: string, now: string, dedupes: string]
  ): Promise<[ClaimResult, string]>;
  wooPatch(
    ...args: [...RowKeys, key: string, patch: string, now: string, expect: string]
  ): Promise<number>;
  wooReplay(...args: [...RowKeys, key: string, now: string, skipped: string]): Promise<number>;
}

function defineCommands(redis: Redis | Cluster): void {
  redis.defineCommand('wooCreate', { numberOfKeys: 8, lua: CREATE });
  redis.defineCommand('wooIndex', { numberOfKeys: 7, lua: INDEX });
  redis.defineCommand('wooClaim', { numberOfKeys: 6, lua: CLAIM });
  redis.defineCommand('wooPatch', { numberOfKeys: 6, lua: PATCH });
  redis.defineCommand('wooReplay', { numberOfKeys: 6, lua: REPLAY });
}

/**
 * Connects the outbox shared by every instance using `prefix` on the Redis (or Redis Cluster) at
 * `url`.
 */
export function openRedisOutbox(
  url: string,
  prefix: string,
  { maxAttempts, cluster = false }: { maxAttempts: number; cluster?: boolean },
): RedisOutbox {
  const target = { url, cluster };
  const redis = connectRedis(target, { maxRetriesPerRequest: 3 });
  redis.on('error', () => {}); // a failing call rejects; /readyz reports the outage
  defineCommands(redis);
  const commands = redis as unknown as OutboxCommands;
  const keyPrefix = keyPrefixOf(target, prefix);
  const queue = new Queue<SendJobData>(SEND_QUEUE, { connection: redis, prefix: keyPrefix });
  queue.on('error', () => {});
  const keys = {
    rows: `${keyPrefix}:rows`,
    ids: `${keyPrefix}:ids`,
    seq: `${keyPrefix}:seq`,
    counts: `${keyPrefix}:counts`,
    failed: `${keyPrefix}:failed`,
    pending: `${keyPrefix}:pending`,
    uncertain: `${keyPrefix}:uncertain`,
    sent: `${keyPrefix}:sent`,
    // Versioned: rows written before the uncertain and sent indexes existed are indexed again.
    indexed: `${keyPrefix}:indexed:2`,
  };
  const rowKeys: RowKeys = [
    keys.rows,
    keys.counts,
    keys.failed,
    keys.pending,
    keys.uncertain,
    keys.sent,
  ];
  // The worker counts attempts in the row; BullMQ's own limit is only a backstop.
  const jobOptions = { ...SEND_JOB_OPTIONS, attempts: maxAttempts + 1, backoff: { type: 'woo' } };

  const addJobs = async (rows: OutboxRow[], suffix = '') => {
    if (rows.length === 0) return;
    await queue.addBulk(
      rows.map((row) => ({
        name: SEND_QUEUE,
        data: { key: row.dedupe_key },
        opts: { ...jobOptions, jobId: `${jobIdOf(row.dedupe_key)}${suffix}` },
      })),
    );
  };

  const parse = (raw: string | null | undefined) =>
    raw ? (JSON.parse(raw) as OutboxRow) : undefined;

  async function allRows(): Promise<OutboxRow[]> {
    const rows = (await redis.hvals(keys.rows)).map((raw) => JSON.parse(raw) as OutboxRow);
    return rows.sort((a, b) => a.id - b.id);
  }

  /** The rows of an index scored by id, above `after`: at most `limit`, or all of them. */
  async function indexedRows(index: string, after: number, limit?: number): Promise<OutboxRow[]> {
    const above = `(${after}`;
    const found =
      limit === undefined
        ? await redis.zrangebyscore(index, above, '+inf')
        : await redis.zrangebyscore(index, above, '+inf', 'LIMIT', 0, limit);
    if (found.length === 0) return [];
    const raws = await redis.hmget(keys.rows, ...found);
    return raws.flatMap((raw) => parse(raw) ?? []);
  }

  const patch = async (key: string, changes: RowPatch, expectUpdatedAt?: number) =>
    (await commands.wooPatch(
      ...rowKeys,
      key,
      // JSON.stringify drops undefined fields and keeps null ones, as the patch means.
      JSON.stringify(changes),
      String(Date.now()),
      expectUpdatedAt === undefined ? '' : String(expectUpdatedAt),
    )) === 1;

  async function replayKey(key: string, { skipped = false } = {}): Promise<boolean> {
    const now = Date.now();
    const done = await commands.wooReplay(...rowKeys, key, String(now), skipped ? '1' : '0');
    if (done !== 1) return false;
    // A fresh job id: the row's earlier job may still be finishing (it is what marked the row dead).
    await addJobs([{ dedupe_key: key } as OutboxRow], `/replay-${now}`);
    return true;
  }

  return {
    redis,
    keyPrefix,
    queue,
    async enqueueGroups(groups) {
      const now = Date.now();
      const pipeline = redis.pipeline();
      for (const job of groups.flat()) {
        const row = {
          dedupe_key: job.dedupeKey,
          order_id: job.orderId,
          order_number: job.orderNumber,
          status: job.status,
          recipient: job.recipient,
          role: job.role,
          message: job.message ? JSON.stringify(job.message) : null,
          state: job.failure ? 'failed' : 'pending',
          attempts: 0,
          next_attempt_at: now,
          last_error: job.failure ?? null,
          gateway_message_id: null,
          created_at: now,
          updated_at: now,
          attempt_started_at: null,
          uncertain_since: null,
          uncertain_until: null,
          evidence: null,
          checked_at: null,
          request_id: job.requestId ?? null,
        };
        (pipeline as unknown as OutboxCommands).wooCreate(
          ...rowKeys,
          keys.ids,
          keys.seq,
          job.dedupeKey,
          JSON.stringify(row),
        );
      }
      const replies = (await pipeline.exec()) ?? [];
      const created: boolean[] = [];
      const toQueue: OutboxRow[] = [];
      for (const [error, reply] of replies) {
        if (error) throw error;
        const [isNew, raw] = reply as [number, string];
        const row = JSON.parse(raw) as OutboxRow;
        created.push(isNew === 1);
        // A pending row is (re)queued: BullMQ ignores an id it holds, and a row whose job never
        // made it (the instance died between the two writes) is healed by the redelivery.
        if (row.state === 'pending' && row.message !== null) toQueue.push(row);
      }
      await addJobs(toQueue);
      let at = 0;
      return groups.map((jobs) => {
        const slice = created.slice(at, at + jobs.length);
        at += jobs.length;
        return slice.filter(Boolean).length;
      });
    },
    async failedPage(after, limit) {
      // One row past the page says whether there is a next one.
      const rows = await indexedRows(keys.failed, after, limit + 1);
      const page = rows.slice(0, limit);
      return { rows: page, next: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
    },
    async replay(id) {
      const key = await redis.hget(keys.ids, String(id));
      return key ? replayKey(key, { skipped: true }) : false;
    },
    async replayAll() {
      const candidates = (await indexedRows(keys.failed, 0)).filter(
        (row) => (row.state === 'dead' || row.state === 'maybe_sent') && row.message !== null,
      );
      if (candidates.length === 0) return 0;
      // Every REPLAY in one round trip (the keys share a slot on a Cluster), then one addBulk.
      const now = Date.now();
      const pipeline = redis.pipeline();
      for (const row of candidates) {
        (pipeline as unknown as OutboxCommands).wooReplay(
          ...rowKeys,
          row.dedupe_key,
          String(now),
          '0',
        );
      }
      const replies = (await pipeline.exec()) ?? [];
      const replayed = candidates.filter((_, i) => {
        const [error, done] = replies[i] ?? [];
        if (error) throw error;
        return done === 1;
      });
      await addJobs(replayed, `/replay-${now}`);
      return replayed.length;
    },
    async counts() {
      const counts: Record<OutboxState, number> = {
        pending: 0,
        sending: 0,
        sent: 0,
        dead: 0,
        maybe_sent: 0,
        failed: 0,
        skipped: 0,
      };
      for (const [state, n] of Object.entries(await redis.hgetall(keys.counts))) {
        if (state in counts) counts[state as OutboxState] = Number(n);
      }
      return counts;
    },
    async oldestPendingAt() {
      const [, score] = await redis.zrange(keys.pending, 0, 0, 'WITHSCORES');
      return score === undefined ? undefined : Number(score);
    },
    index: () => commands.wooIndex(...rowKeys, keys.indexed),
    all: allRows,
    row: async (key) => parse(await redis.hget(keys.rows, key)),
    async claim(key, jobId, gatewayDeduplicates) {
      const [result, raw] = await commands.wooClaim(
        ...rowKeys,
        key,
        jobId,
        String(Date.now()),
        gatewayDeduplicates ? '1' : '0',
      );
      return { result, row: parse(raw) };
    },
    async update(key, changes) {
      await patch(key, changes);
    },
    uncertainRows: () => indexedRows(keys.uncertain, 0),
    async messageIdsTo(recipient) {
      // Recipients are digits, so ';' (the character after ':') ends exactly their range.
      const entries = await redis.zrangebylex(keys.sent, `[${recipient}:`, `(${recipient};`);
      return entries.map((entry) => entry.slice(recipient.length + 1));
    },
    async settle(row, changes) {
      if (!(await patch(row.dedupe_key, changes, row.updated_at))) return false;
      // A fresh job id, as for a replay: the row's earlier job may still be held by BullMQ.
      if (changes.state === 'pending') await addJobs([row], `/reconcile-${Date.now()}`);
      return true;
    },
    async ping(timeoutMs = 3000) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      try {
        return (await Promise.race([redis.ping(), late])) === 'PONG';
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await queue.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
