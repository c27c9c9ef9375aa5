import type { Redis } from "ioredis";
import { afterEach, beforeEach, expect, it } from "vitest";
import { holdHistory, releaseHistory } from "../../src/history/release-history.js";
import { createHistoryStore, historyKeys } from "../../src/history/store-history.js";
import { connectTestRedis, deleteKeys, uniqueName } from "../../support/redis.js";

let redis: Redis;
let keyPrefix: string;
const subject = { owner: "acme", repo: "widgets", reviewerLogin: "alice" };

beforeEach(async () => {
  redis = await connectTestRedis();
  keyPrefix = uniqueName("hold");
});

afterEach(async () => {
  await deleteKeys(redis, `${keyPrefix}:*`);
  await redis.quit();
});

it("keeps the dataset for a queued training job after the run that collected it finishes", async () => {
  const keys = historyKeys({ keyPrefix, subject });
  await createHistoryStore({ redis, keyPrefix, subject, ttlSeconds: 600 }).joinRun("run-1");
  await redis.set(keys.train, '{"messages":[]}', "EX", 600);

  await holdHistory({ redis, keyPrefix, subject, holderId: "train/acme/widgets/alice/v1" });
  await releaseHistory({ redis, keyPrefix, subject, runId: "run-1" });
  expect(await redis.exists(keys.train)).toBe(1);

  await releaseHistory({ redis, keyPrefix, subject, runId: "train/acme/widgets/alice/v1" });
  expect(await redis.exists(keys.train)).toBe(0);
});
