import type { Redis } from "ioredis";
import type { HistoryStats } from "./compute-stats.js";
import type { HistorySubject } from "./history-records.js";
import { createHistoryStore } from "./store-history.js";

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

/** The kept statistics of a reviewer's last collection, or `undefined` if never collected. */
export async function loadHistoryStats(params: {
  redis: Redis;
  keyPrefix: string;
  subject: HistorySubject;
}): Promise<HistoryStats | undefined> {
  return await createHistoryStore({ ...params, ttlSeconds: 1 }).loadStats();
}
