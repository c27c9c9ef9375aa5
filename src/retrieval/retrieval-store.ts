import type { Redis } from "ioredis";
import { RedisKeys } from "../store/redis-keys.js";
import type { RedisScope } from "../store/redis-scope.js";
import { type PrecedentIndex, precedentIndexSchema } from "./precedent-index.js";

type Subject = { owner: string; repo: string; reviewerLogin: string };

/**
 * Where precedent indexes live. The history stage writes the current one beside the dataset
 * (`<p>:history:{o/r/l}:retrieval`, scraped text under HISTORY_TTL_SECONDS, what few-shot reviews
 * read); when a training job is queued it is snapshotted under the adapter's versioned name
 * (`<p>:retrieval:{o/r/l}:<adapterName>`, kept as long as the adapter, deleted by `forget`), so
 * an adapter is always asked with the index its training data was augmented from. Both share the
 * subject's `{o/r/l}` hash tag (one cluster slot), so COPY works between them.
 */
export function retrievalKeys(params: { keyPrefix: string; subject: Subject }) {
  const keys = new RedisKeys(params.keyPrefix);
  const kept = keys.retrieval(params.subject);
  return {
    history: keys.history(params.subject).retrieval,
    forAdapter: kept.forAdapter,
    everyAdapter: kept.all,
  };
}

/**
 * Reads a stored index.
 * @throws Error naming where it came from when it is not an index of the current format.
 */
export function parsePrecedentIndex(text: string, source: string): PrecedentIndex {
  try {
    return precedentIndexSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new Error(
      `the precedent index in ${source} is unreadable (another format version?): collect the history again with --force-reload`,
      { cause: error },
    );
  }
}

/** The index stored under `key`, if there is one. */
async function loadIndex(redis: Redis, key: string): Promise<PrecedentIndex | undefined> {
  const text = await redis.get(key);
  return text === null ? undefined : parsePrecedentIndex(text, `Redis key ${key}`);
}

/** The index the history stage built with the reviewer's current dataset, if still stored. */
export async function loadHistoryIndex(
  params: RedisScope & { subject: Subject },
): Promise<PrecedentIndex | undefined> {
  return loadIndex(params.redis, retrievalKeys(params).history);
}

/** The index an adapter was trained with; none for adapters trained before retrieval existed. */
export async function loadAdapterIndex(
  params: RedisScope & { subject: Subject; adapterName: string },
): Promise<PrecedentIndex | undefined> {
  return loadIndex(params.redis, retrievalKeys(params).forAdapter(params.adapterName));
}

/**
 * Keeps the history's current index under an adapter's name, without expiry: called when the
 * training job for that adapter is queued, from the same collection as its dataset.
 * @returns whether there was an index to keep.
 */
export async function snapshotIndexForAdapter(
  params: RedisScope & {
    subject: Subject;
    adapterName: string;
    /** Copy from another adapter's snapshot instead of the history's index. */
    fromAdapterName?: string;
  },
): Promise<boolean> {
  const keys = retrievalKeys(params);
  const from =
    params.fromAdapterName === undefined ? keys.history : keys.forAdapter(params.fromAdapterName);
  const copied = await params.redis.copy(from, keys.forAdapter(params.adapterName), "REPLACE");
  if (copied === 1) await params.redis.persist(keys.forAdapter(params.adapterName));
  return copied === 1;
}

/** Deletes every adapter's index of the subject (`forget`). @returns how many were deleted. */
export async function forgetAdapterIndexes(
  params: RedisScope & { subject: Subject },
): Promise<number> {
  let cursor = "0";
  let deleted = 0;
  do {
    const [next, keys] = await params.redis.scan(
      cursor,
      "MATCH",
      retrievalKeys(params).everyAdapter,
      "COUNT",
      500,
    );
    cursor = next;
    if (keys.length > 0) deleted += await params.redis.del(...keys);
  } while (cursor !== "0");
  return deleted;
}
