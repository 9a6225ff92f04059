import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/** What every store and limiter accepts: one Redis node or a Redis Cluster (ioredis `Cluster`). */
export type RedisClient = Redis | Cluster;

/** A Lua script with its SHA1, run by `runScript` and `runScripts`. */
export interface LuaScript {
  readonly lua: string;
  readonly sha: string;
}

/** Prepares a script once, at module load: its SHA1 is what EVALSHA sends. */
export function luaScript(lua: string): LuaScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

type Arg = string | number;

/** Redis answers NOSCRIPT when its script cache lacks the SHA (a restart, a failover, another node). */
function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * Runs `script` with EVALSHA: one round trip that carries the SHA, not the script. A node that
 * does not know the script yet (the first call, a restarted node, the node of another Cluster
 * slot) answers NOSCRIPT without running anything; the script then goes once with EVAL, which
 * also caches it on that node. On a Cluster ioredis sends both to the node owning the keys' slot.
 */
export async function runScript<T>(
  client: RedisClient,
  script: LuaScript,
  keys: readonly string[],
  args: readonly Arg[],
): Promise<T> {
  try {
    return (await client.evalsha(script.sha, keys.length, ...keys, ...args)) as T;
  } catch (error) {
    if (!isNoScript(error)) throw error;
    return (await client.eval(script.lua, keys.length, ...keys, ...args)) as T;
  }
}

/** A call waiting for the end of the event-loop turn, with its caller's promise. */
interface Waiting {
  script: LuaScript;
  keys: readonly string[];
  args: readonly Arg[];
  resolve: (reply: unknown) => void;
  reject: (error: unknown) => void;
}

const waiting = new WeakMap<RedisClient, Waiting[]>();

/**
 * `runScript` for calls that many requests make at once (the OTP store, the request limiter): on
 * one Redis node, the calls made during one event-loop turn go out together at its end, in one
 * pipeline, so under load one write and one read carry many calls instead of one each (a socket
 * write costs more than the script). Each call still runs alone and atomically, in the order made,
 * and answers its own caller; calls made in one turn are concurrent, so no caller can tell. A call
 * a node answered NOSCRIPT goes again with EVAL. On a Cluster, or a client that pipelines by
 * itself (`enableAutoPipelining`), it is `runScript`.
 */
export function runScriptBatched<T>(
  client: RedisClient,
  script: LuaScript,
  keys: readonly string[],
  args: readonly Arg[],
): Promise<T> {
  if (client.isCluster || client.options.enableAutoPipelining) {
    return runScript<T>(client, script, keys, args);
  }
  return new Promise<T>((resolve, reject) => {
    let queue = waiting.get(client);
    if (!queue) {
      queue = [];
      waiting.set(client, queue);
      setImmediate(sendWaiting, client, queue);
    }
    queue.push({ script, keys, args, resolve: resolve as (reply: unknown) => void, reject });
  });
}

function sendWaiting(client: RedisClient, queue: readonly Waiting[]): void {
  waiting.delete(client);
  if (queue.length === 1) {
    const [call] = queue as [Waiting];
    runScript(client, call.script, call.keys, call.args).then(call.resolve, call.reject);
    return;
  }
  const pipeline = client.pipeline();
  for (const { script, keys, args } of queue) {
    pipeline.evalsha(script.sha, keys.length, ...keys, ...args);
  }
  pipeline.exec().then(
    (replies) => {
      for (const [index, call] of queue.entries()) {
        const [error, reply] = replies?.[index] ?? [new Error('no reply from the pipeline')];
        if (!error) call.resolve(reply);
        else if (isNoScript(error)) {
          runScript(client, call.script, call.keys, call.args).then(call.resolve, call.reject);
        } else call.reject(error);
      }
    },
    (error: unknown) => {
      for (const call of queue) call.reject(error);
    },
  );
}

/** One script call of a `runScripts` batch. */
export interface ScriptCall {
  script: LuaScript;
  keys: readonly string[];
  args: readonly Arg[];
}

/**
 * Runs several script calls in one round trip (an ioredis pipeline of EVALSHAs) and answers each
 * call's reply, or rejects with the first call's error. Calls a node answered NOSCRIPT were not
 * run: they go again, in order, with EVAL. The calls must not depend on each other's order, and
 * on a Cluster their keys must share one slot (hash tags), as every ioredis Cluster pipeline.
 */
export async function runScripts(
  client: RedisClient,
  calls: readonly ScriptCall[],
): Promise<unknown[]> {
  if (calls.length === 0) return [];
  if (calls.length === 1) {
    const [call] = calls as [ScriptCall];
    return [await runScript(client, call.script, call.keys, call.args)];
  }
  const pipeline = client.pipeline();
  for (const { script, keys, args } of calls) {
    pipeline.evalsha(script.sha, keys.length, ...keys, ...args);
  }
  const replies = (await pipeline.exec()) ?? [];
  const results: unknown[] = [];
  for (const [index, call] of calls.entries()) {
    const [error, reply] = replies[index] ?? [new Error('no reply from the pipeline'), undefined];
    if (!error) results.push(reply);
    else if (isNoScript(error))
      results.push(await runScript(client, call.script, call.keys, call.args));
    else throw error;
  }
  return results;
}
