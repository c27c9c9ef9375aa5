import type { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  forgetRegistryEntries,
  getCurrentAdapter,
  listAdapterHistory,
  recordAdapter,
  recordAdapterEvaluation,
  reserveNextVersion,
} from "../../src/train/adapter-registry.js";
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

describe("an evaluation recorded after the adapter", () => {
  const subject = { owner: "acme", repo: "widgets", reviewerLogin: "alice" };
  const record = (version: number) => ({
    adapterName: `acme-widgets-alice-v${version}`,
    version,
    baseModel: "base",
    trainedAt: "2026-12-06T00:00:00.000Z",
    examples: 10,
    steps: 3,
    trainSeconds: 12.5,
    scores: {},
    evaluationPending: true as const,
  });
  const evaluation = { scores: { "adapter.comment_f1": 50 }, summary: "holdout: F1 0.50" };

  it("fills in the history entry of a version no longer current, and leaves the current one", async () => {
    await recordAdapter({ redis, keyPrefix, subject, adapter: record(1) });
    await recordAdapter({ redis, keyPrefix, subject, adapter: record(2) });
    const filled = await recordAdapterEvaluation({
      redis,
      keyPrefix,
      subject,
      adapterName: "acme-widgets-alice-v1",
      evaluation,
    });
    expect(filled).toBe(true);
    expect(await getCurrentAdapter({ redis, keyPrefix, subject })).toEqual(record(2));
    const [newer, older] = await listAdapterHistory({ redis, keyPrefix, subject });
    expect(newer).toEqual(record(2));
    const { evaluationPending: _, ...rest } = record(1);
    expect(older).toEqual({ ...rest, scores: evaluation.scores, evaluation: evaluation.summary });
  });

  it("creates nothing for an adapter forgotten while it was evaluated", async () => {
    await recordAdapter({ redis, keyPrefix, subject, adapter: record(1) });
    await forgetRegistryEntries({ redis, keyPrefix, subject });
    const filled = await recordAdapterEvaluation({
      redis,
      keyPrefix,
      subject,
      adapterName: "acme-widgets-alice-v1",
      evaluation,
    });
    expect(filled).toBe(false);
    expect(await getCurrentAdapter({ redis, keyPrefix, subject })).toBeUndefined();
    expect(await listAdapterHistory({ redis, keyPrefix, subject })).toEqual([]);
  });
});
