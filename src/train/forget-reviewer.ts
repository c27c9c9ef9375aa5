import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import {
  type AdapterSubject,
  FORGET_ADAPTERS_JOB_NAME,
  forgetAdaptersJobId,
  forgetAdaptersJobSchema,
} from "../../jobs/train-job.js";
import { createFateStore } from "../fates/fate-store.js";
import { forgetAdapterIndexes } from "../retrieval/retrieval-store.js";
import { RedisKeys } from "../store/redis-keys.js";
import type { RedisScope } from "../store/redis-scope.js";
import { forgetRegistryEntries } from "./adapter-registry.js";

/** What `forget` removed, for the confirmation. */
export interface ForgetReport {
  adapterNames: string[];
  historyKeysDeleted: number;
  /** Whether adapter directories were handed to the GPU hosts to delete. */
  filesQueued: boolean;
  /** Records of the persona's posted comments and what people did with them (src/feedback). */
  feedbackCommentsDeleted: number;
}

/**
 * Forgets a reviewer in one repository: registry entries now (no run can use the adapters from
 * this moment), the collected history the history stage cached
 * (`<p>:history:{owner/repo/login}:*` and `<p>:history-stats:{owner/repo/login}`), the
 * adapters' precedent indexes (`<p>:retrieval:{owner/repo/login}:*`), a
 * `forget-adapters` job on the training queue for the directories, and the records of the
 * persona's posted comments and their fates. The job goes there because
 * only the GPU hosts that publish adapters see ADAPTERS_DIR; it jumps ahead of queued training
 * jobs (priority 1) but waits for a training job already running on every host.
 */
export async function forgetReviewer(
  params: RedisScope & { trainQueue: Queue; subject: AdapterSubject; commentId: number },
): Promise<ForgetReport> {
  const { redis, keyPrefix, subject } = params;
  const { adapterNames } = await forgetRegistryEntries({ redis, keyPrefix, subject });
  const history = new RedisKeys(keyPrefix).history(subject);
  const historyKeysDeleted =
    (await deleteMatching(redis, history.all)) +
    (await redis.del(history.stats)) +
    (await forgetAdapterIndexes({ redis, keyPrefix, subject }));
  if (adapterNames.length > 0) {
    await params.trainQueue.add(
      FORGET_ADAPTERS_JOB_NAME,
      forgetAdaptersJobSchema.parse({ ...subject, adapterNames }),
      {
        jobId: forgetAdaptersJobId(subject, params.commentId),
        priority: 1,
        attempts: 5,
        backoff: { type: "exponential", delay: 10_000 },
        removeOnComplete: { age: 86_400 },
        removeOnFail: { age: 30 * 86_400 },
      },
    );
  }
  const feedbackCommentsDeleted = await createFateStore({ redis, keyPrefix }).forgetPersona(
    subject,
  );
  return {
    adapterNames,
    historyKeysDeleted,
    filesQueued: adapterNames.length > 0,
    feedbackCommentsDeleted,
  };
}

async function deleteMatching(redis: Redis, pattern: string): Promise<number> {
  let cursor = "0";
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== "0");
  return deleted;
}
