import type { Redis } from "ioredis";
import { afterEach, beforeEach, expect, it } from "vitest";
import { reserveNextVersion } from "../../src/train/adapter-registry.js";
import { connectTestRedis, deleteKeys, uniqueName } from "../../support/redis.js";

let redis: Redis;
let keyPrefix: string;

beforeEach(async () => {
  redis = await connectTestRedis();
  keyPrefix = uniqueName("registry");
});

afterEach(async () => {
  await deleteKeys(redis, `${keyPrefix}:*`);
  await redis.quit();
});

it("reserves distinct versions for concurrent callers", async () => {
  const subject = { owner: "acme", repo: "widgets", reviewerLogin: "alice" };
  const reserved = await Promise.all(
    Array.from({ length: 10 }, () => reserveNextVersion({ redis, keyPrefix, subject })),
  );
  expect(reserved.map((r) => r.version).sort((a, b) => a - b)).toEqual([
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
  ]);
  expect(new Set(reserved.map((r) => r.adapterName)).size).toBe(10);
});

it("skips a version whose name another repository's reviewer already holds", async () => {
  // `a-b/c` + `x` and `a/b-c` + `x` both spell `a-b-c-x-v1`.
  const first = await reserveNextVersion({
    redis,
    keyPrefix,
    subject: { owner: "a-b", repo: "c", reviewerLogin: "x" },
  });
  const second = await reserveNextVersion({
    redis,
    keyPrefix,
    subject: { owner: "a", repo: "b-c", reviewerLogin: "x" },
  });
  expect(first).toEqual({ version: 1, adapterName: "a-b-c-x-v1" });
  expect(second).toEqual({ version: 2, adapterName: "a-b-c-x-v2" });
});
