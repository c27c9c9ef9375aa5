import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { historyKeys } from "../../src/history/store-history.js";
import { buildPrecedentIndex } from "../../src/retrieval/precedent-index.js";
import {
  loadAdapterIndex,
  loadHistoryIndex,
  retrievalKeys,
} from "../../src/retrieval/retrieval-store.js";
import { forgetReviewer } from "../../src/train/forget-reviewer.js";
import { joinOrQueueTraining } from "../../src/train/join-or-queue-training.js";
import { connectTestRedis, deleteKeys, uniqueName } from "../../support/redis.js";

const subject = { owner: "Acme", repo: "widgets", reviewerLogin: "Alice" };
const hunk = { lines: [{ kind: "add" as const, newLine: 1, content: "int x = 0;" }] };
const indexSaying = (comment: string) =>
  buildPrecedentIndex({
    comments: [
      {
        id: "C1",
        pullNumber: 1,
        path: "a.c",
        createdAt: "2024-01-01T00:00:00Z",
        hunk,
        target: comment,
      },
    ],
    builtAt: "2024-01-02T00:00:00Z",
  });

let redis: Redis;
let trainQueue: Queue;
const keyPrefix = uniqueName("retrieval");

beforeAll(async () => {
  redis = await connectTestRedis();
  trainQueue = new Queue(uniqueName("train"), { connection: redis, prefix: keyPrefix });
});

afterAll(async () => {
  await trainQueue.obliterate({ force: true });
  await trainQueue.close();
  await deleteKeys(redis, `${keyPrefix}:*`);
  redis.disconnect();
});

/** What the history stage stores beside the dataset (under its TTL). */
async function collectIndex(comment: string): Promise<void> {
  const key = historyKeys({ keyPrefix, subject }).train;
  await redis.set(key, '{"messages":[]}\n', "EX", 600);
  await redis.set(
    retrievalKeys({ keyPrefix, subject }).history,
    JSON.stringify(indexSaying(comment)),
    "EX",
    600,
  );
}

describe("the precedent index is versioned and forgotten with the adapter", () => {
  it("keeps the index of the collection each adapter version was queued from, without expiry", async () => {
    await collectIndex("first collection");
    const first = await joinOrQueueTraining({
      redis,
      keyPrefix,
      trainQueue,
      subject,
      datasetKey: historyKeys({ keyPrefix, subject }).train,
      baseModelName: "base",
      runId: "run-1",
      attempts: 1,
    });
    // The job ends; a new collection, a new version.
    await (await trainQueue.getJob(first.trainJobId))?.remove();
    await collectIndex("second collection");
    const second = await joinOrQueueTraining({
      redis,
      keyPrefix,
      trainQueue,
      subject,
      datasetKey: historyKeys({ keyPrefix, subject }).train,
      baseModelName: "base",
      runId: "run-2",
      attempts: 1,
    });
    expect(second.version).toBeGreaterThan(first.version);
    const said = async (adapterName: string) =>
      (await loadAdapterIndex({ redis, keyPrefix, subject, adapterName }))?.precedents[0]?.comment;
    expect(await said(first.adapterName)).toBe("first collection");
    expect(await said(second.adapterName)).toBe("second collection");
    expect(
      await redis.ttl(retrievalKeys({ keyPrefix, subject }).forAdapter(first.adapterName)),
    ).toBe(-1);
    expect((await loadHistoryIndex({ redis, keyPrefix, subject }))?.precedents[0]?.comment).toBe(
      "second collection",
    );
  });

  it("forget deletes every version's index and the history's", async () => {
    await forgetReviewer({ redis, keyPrefix, trainQueue, subject, commentId: 7 });
    const left = await redis.keys(`${keyPrefix}:*retrieval*`);
    expect(left).toEqual([]);
    expect(await loadHistoryIndex({ redis, keyPrefix, subject })).toBeUndefined();
  });

  it("refuses an index of another format, saying how to fix it", async () => {
    await redis.set(retrievalKeys({ keyPrefix, subject }).history, '{"format":99}', "EX", 60);
    await expect(loadHistoryIndex({ redis, keyPrefix, subject })).rejects.toThrow(/--force-reload/);
  });
});
