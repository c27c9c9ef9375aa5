import type { Redis } from "ioredis";
import type { HistoryStats } from "./compute-stats.js";
import type { HistorySubject } from "./history-records.js";
import { createHistoryStore, historyKeys } from "./store-history.js";

/**
 * Ends a run's use of the scraped history: the last run to release it deletes the comments,
 * hunks, dataset and checkpoint at once (the TTL deletes them anyway if nobody does). The
 * statistics stay. Returns whether the data was deleted.
 */
export async function releaseHistory(params: {
  redis: Redis;
  keyPrefix: string;
  subject: HistorySubject;
  runId: string;
}): Promise<boolean> {
  return await createHistoryStore({ ...params, ttlSeconds: 1 }).releaseRun(params.runId);
}

/**
 * Makes `holderId` (a training job) a user of the scraped history, so that runs finishing first
 * do not delete the dataset it still has to read; release it with {@link releaseHistory}. The
 * data's own TTL still bounds how long it lives.
 */
export async function holdHistory(params: {
  redis: Redis;
  keyPrefix: string;
  subject: HistorySubject;
  holderId: string;
}): Promise<void> {
  const keys = historyKeys({ keyPrefix: params.keyPrefix, subject: params.subject });
  await params.redis.sadd(keys.runs, params.holderId);
}

/** The kept statistics of a reviewer's last collection, or `undefined` if never collected. */
export async function loadHistoryStats(params: {
  redis: Redis;
  keyPrefix: string;
  subject: HistorySubject;
}): Promise<HistoryStats | undefined> {
  return await createHistoryStore({ ...params, ttlSeconds: 1 }).loadStats();
}
