import type { Redis } from "ioredis";
import { z } from "zod";
import { RedisKeys } from "../store/redis-keys.js";

/** How many entries a repository's feed keeps; older ones drop off. */
const MAX_ENTRIES = 1000;

export const feedEntrySchema = z.object({
  /** The push's job id: the same push always has the same id. */
  id: z.string(),
  owner: z.string(),
  repo: z.string(),
  branch: z.string(),
  /** At most 280 characters, plain text (never markup, never a live mention). */
  summary: z.string().max(280),
  /** `model`: the base model wrote it; `counts`: built from the diff stats (model unavailable). */
  summarySource: z.enum(["model", "counts"]),
  pusherLogin: z.string(),
  pushedAt: z.iso.datetime({ offset: true }),
  forced: z.boolean(),
  /** GitHub's compare view of the push (or the commit, for a push that created the branch). */
  compareUrl: z.url(),
  commits: z.array(z.object({ sha: z.string(), url: z.url() })),
  /** Commits in the push; more than `commits` when GitHub listed only some. */
  commitCount: z.number().int().nonnegative(),
});

export type FeedEntry = z.infer<typeof feedEntrySchema>;

function feedKeys(params: { keyPrefix: string; owner: string; repo: string }) {
  return new RedisKeys(params.keyPrefix).feed(params);
}

/**
 * Adds a push to its repository's feed, once: a second write of the same id changes nothing, so
 * a redelivered or retried push never shows twice.
 * @returns false when the entry was already there.
 */
export async function recordFeedEntry(params: {
  redis: Redis;
  keyPrefix: string;
  entry: FeedEntry;
}): Promise<boolean> {
  const entry = feedEntrySchema.parse(params.entry);
  const keys = feedKeys({ keyPrefix: params.keyPrefix, owner: entry.owner, repo: entry.repo });
  const added = await params.redis.hsetnx(keys.entries, entry.id, JSON.stringify(entry));
  if (added === 0) return false;
  await params.redis.zadd(keys.order, "NX", Date.parse(entry.pushedAt), entry.id);
  const overflow = (await params.redis.zcard(keys.order)) - MAX_ENTRIES;
  if (overflow > 0) {
    const dropped = await params.redis.zpopmin(keys.order, overflow);
    const ids = dropped.filter((_, index) => index % 2 === 0);
    if (ids.length > 0) await params.redis.hdel(keys.entries, ...ids);
  }
  return true;
}

/** Whether the push already has its entry (a retried job skips the model call). */
export async function hasFeedEntry(params: {
  redis: Redis;
  keyPrefix: string;
  owner: string;
  repo: string;
  id: string;
}): Promise<boolean> {
  return (await params.redis.hexists(feedKeys(params).entries, params.id)) === 1;
}

/** One page of a repository's feed, newest first, and the number of entries in all. */
export async function listFeedEntries(params: {
  redis: Redis;
  keyPrefix: string;
  owner: string;
  repo: string;
  /** 1-based. */
  page: number;
  pageSize: number;
}): Promise<{ entries: FeedEntry[]; total: number }> {
  const keys = feedKeys(params);
  const start = (params.page - 1) * params.pageSize;
  const [ids, total] = await Promise.all([
    params.redis.zrevrange(keys.order, start, start + params.pageSize - 1),
    params.redis.zcard(keys.order),
  ]);
  if (ids.length === 0) return { entries: [], total };
  const raw = await params.redis.hmget(keys.entries, ...ids);
  const entries = raw
    .filter((value): value is string => value !== null)
    .map((value) => feedEntrySchema.parse(JSON.parse(value)));
  return { entries, total };
}
