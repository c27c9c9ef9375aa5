import type { Redis } from "ioredis";
import { z } from "zod";
import { RedisKeys } from "../store/redis-keys.js";
import { type HistoryStats, historyStatsSchema } from "./compute-stats.js";
import {
  type HistorySubject,
  type NegativeHunks,
  negativeHunksSchema,
  type PullFiles,
  pullFilesSchema,
  type RawReviewComment,
  type ReviewedPull,
  rawReviewCommentSchema,
  reviewedPullSchema,
} from "./history-records.js";

/** Where a collection stands, so a crashed or restarted worker resumes instead of restarting. */
export const checkpointSchema = z.object({
  /** The run that started this collection (a `--force-reload` run restarts others' data once). */
  startedBy: z.string(),
  /** Search strings to page through (one per date slice); null until the first page's count. */
  searches: z.array(z.string()).nullable(),
  searchIndex: z.number().int(),
  /** Cursor inside the current search; null at its start. */
  cursor: z.string().nullable(),
  commentsDone: z.boolean(),
  requests: z.object({ graphql: z.number().int(), rest: z.number().int() }),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

/** A finished collection: its statistics and whether it has enough comments to train on. */
export const historyResultSchema = z.object({
  runId: z.string(),
  stats: historyStatsSchema,
  trainable: z.boolean(),
  minimumComments: z.number().int(),
});
export type HistoryResult = z.infer<typeof historyResultSchema>;

/**
 * The Redis keys of one subject. The `{owner/repo/login}` hash tag keeps them in one cluster
 * slot so they can be deleted together atomically. Everything but `stats` expires after the TTL.
 */
export function historyKeys(params: { keyPrefix: string; subject: HistorySubject }) {
  const { all: _pattern, ...keys } = new RedisKeys(params.keyPrefix).history(params.subject);
  return keys;
}

export type HistoryKeys = ReturnType<typeof historyKeys>;

/** Keys holding scraped text (all expire; deleted when the last run using them ends). */
export function scrapedKeys(keys: HistoryKeys): string[] {
  return [
    keys.checkpoint,
    keys.pulls,
    keys.comments,
    keys.negatives,
    keys.pullFiles,
    keys.train,
    keys.holdout,
    keys.result,
  ];
}

const releaseScript = `
redis.call('SREM', KEYS[1], ARGV[1])
if redis.call('SCARD', KEYS[1]) == 0 then
  for index = 2, #KEYS do redis.call('DEL', KEYS[index]) end
  return 1
end
return 0`;

function parseJsonField<T>(schema: z.ZodType<T>, value: string, what: string): T {
  try {
    return schema.parse(JSON.parse(value));
  } catch (error) {
    throw new Error(`Stored ${what} in Redis is unreadable; rerun with --force-reload`, {
      cause: error,
    });
  }
}

/**
 * Reads and writes one subject's scraped history in Redis. Every write refreshes the TTL of the
 * key it touches, so data lives at most `ttlSeconds` after the collection's last write.
 */
export function createHistoryStore(params: {
  redis: Redis;
  keyPrefix: string;
  subject: HistorySubject;
  ttlSeconds: number;
}) {
  const { redis, ttlSeconds } = params;
  const keys = historyKeys(params);

  async function hashSet(key: string, entries: Array<[string, unknown]>): Promise<void> {
    if (entries.length === 0) return;
    const flat = entries.flatMap(([field, value]) => [field, JSON.stringify(value)]);
    await redis
      .multi()
      .hset(key, ...flat)
      .expire(key, ttlSeconds)
      .exec();
  }

  async function hashValues<T>(key: string, schema: z.ZodType<T>, what: string): Promise<T[]> {
    const values = await redis.hvals(key);
    return values.map((value) => parseJsonField(schema, value, what));
  }

  return {
    keys,
    async joinRun(runId: string): Promise<void> {
      await redis.multi().sadd(keys.runs, runId).expire(keys.runs, ttlSeconds).exec();
    },
    async clearScraped(): Promise<void> {
      await redis.del(...scrapedKeys(keys));
    },
    async loadCheckpoint(): Promise<Checkpoint | undefined> {
      const value = await redis.get(keys.checkpoint);
      return value === null ? undefined : parseJsonField(checkpointSchema, value, "checkpoint");
    },
    async saveCheckpoint(checkpoint: Checkpoint): Promise<void> {
      await redis.set(keys.checkpoint, JSON.stringify(checkpoint), "EX", ttlSeconds);
    },
    /** Idempotent: re-fetching a page after a crash overwrites the same fields. */
    async savePage(page: { pulls: ReviewedPull[]; comments: RawReviewComment[] }): Promise<void> {
      await hashSet(
        keys.pulls,
        page.pulls.map((pull) => [String(pull.number), pull]),
      );
      await hashSet(
        keys.comments,
        page.comments.map((comment) => [comment.id, comment]),
      );
    },
    async countCollected(): Promise<{ prs: number; comments: number }> {
      const [prs, comments] = await Promise.all([
        redis.hlen(keys.pulls),
        redis.hlen(keys.comments),
      ]);
      return { prs, comments };
    },
    loadPulls: () => hashValues(keys.pulls, reviewedPullSchema, "pull request"),
    loadComments: () => hashValues(keys.comments, rawReviewCommentSchema, "review comment"),
    loadNegatives: () => hashValues(keys.negatives, negativeHunksSchema, "negative hunks"),
    async saveNegatives(negatives: NegativeHunks): Promise<void> {
      await hashSet(keys.negatives, [[String(negatives.pullNumber), negatives]]);
    },
    /** Every kept file listing (the where-model's pull requests, all their hunks). */
    loadPullFiles: () => hashValues(keys.pullFiles, pullFilesSchema, "pull request files"),
    async savePullFiles(pullFiles: PullFiles): Promise<void> {
      await hashSet(keys.pullFiles, [[String(pullFiles.pullNumber), pullFiles]]);
    },
    async saveDataset(dataset: {
      train: string;
      holdout: string;
      result: HistoryResult;
    }): Promise<void> {
      await redis
        .multi()
        .set(keys.train, dataset.train, "EX", ttlSeconds)
        .set(keys.holdout, dataset.holdout, "EX", ttlSeconds)
        .set(keys.result, JSON.stringify(dataset.result), "EX", ttlSeconds)
        .set(keys.stats, JSON.stringify(dataset.result.stats))
        .exec();
    },
    async loadResult(): Promise<HistoryResult | undefined> {
      const value = await redis.get(keys.result);
      return value === null
        ? undefined
        : parseJsonField(historyResultSchema, value, "history result");
    },
    async loadStats(): Promise<HistoryStats | undefined> {
      const value = await redis.get(keys.stats);
      return value === null
        ? undefined
        : parseJsonField(historyStatsSchema, value, "history statistics");
    },
    async loadDatasetText(): Promise<{ train: string; holdout: string } | undefined> {
      const [train, holdout] = await redis.mget(keys.train, keys.holdout);
      return train === null || train === undefined || holdout === null || holdout === undefined
        ? undefined
        : { train, holdout };
    },
    /** Leaves the run; the last run to leave deletes the scraped data (statistics stay). */
    async releaseRun(runId: string): Promise<boolean> {
      const deleted = await redis.eval(
        releaseScript,
        1 + scrapedKeys(keys).length,
        keys.runs,
        ...scrapedKeys(keys),
        runId,
      );
      return deleted === 1;
    },
  };
}

export type HistoryStore = ReturnType<typeof createHistoryStore>;
