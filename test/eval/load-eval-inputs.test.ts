import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEvalInputs } from "../../src/eval/load-eval-inputs.js";
import { createHistoryStore } from "../../src/history/store-history.js";
import { loadReviewPrompts } from "../../src/review/load-review-prompts.js";
import { captureLog } from "../../support/capture-log.js";
import { connectTestRedis, deleteKeys, TEST_REDIS_URL, uniqueName } from "../../support/redis.js";
import {
  evalDatasetFor,
  hunksOfFixture,
  makeDatasetJsonl,
  SUBJECT,
} from "./support/make-dataset.js";

const templates = await loadReviewPrompts();
let redis: Redis;
const keyPrefix = uniqueName("eval");

beforeAll(async () => {
  redis = await connectTestRedis();
});

afterAll(async () => {
  await deleteKeys(redis, `${keyPrefix}:*`);
  redis.disconnect();
});

describe("loadEvalInputs from the collected history in Redis", () => {
  it("takes the holdout, few-shot examples and comment rate the history stage stored", async () => {
    const hunks = await hunksOfFixture("two-hundred-hunks");
    const holdout = await makeDatasetJsonl({ hunks: hunks.slice(0, 6), firstPullNumber: 100 });
    const train = await makeDatasetJsonl({ hunks: hunks.slice(10, 16), firstPullNumber: 1 });
    const store = createHistoryStore({ redis, keyPrefix, subject: SUBJECT, ttlSeconds: 60 });
    await store.saveDataset(
      evalDatasetFor({
        train,
        holdout,
        repo: "acme/shop",
        reviewerLogin: "alice",
        comments: 6,
        commentRatePerHunk: 0.35,
      }),
    );
    const inputs = await loadEvalInputs({
      subject: SUBJECT,
      templates,
      redis: { url: TEST_REDIS_URL, keyPrefix },
      log: captureLog().log,
    });
    expect(inputs.examples).toHaveLength(6);
    expect(inputs.examples.filter((entry) => entry.gold.kind === "comment")).toHaveLength(3);
    // 3 comments and 3 silent hunks in train: the review's pick keeps all 3 and 3 of 4 silent.
    expect(inputs.fewShotExamples).toHaveLength(6);
    expect(inputs.reviewerCommentRate).toBe(0.35);
  });

  it("says the history must be collected when Redis holds none", async () => {
    await expect(
      loadEvalInputs({
        subject: { ...SUBJECT, reviewerLogin: "nobody" },
        templates,
        redis: { url: TEST_REDIS_URL, keyPrefix },
        log: captureLog().log,
      }),
    ).rejects.toThrow("No collected dataset for nobody in acme/shop in Redis");
  });

  it("refuses a holdout file without a comment rate or budget instead of capping recall silently", async () => {
    const { log } = captureLog();
    const dir = await mkdtemp(join(tmpdir(), "eval-inputs-"));
    try {
      const hunks = await hunksOfFixture("mixed-changes");
      await writeFile(
        join(dir, "holdout.jsonl"),
        await makeDatasetJsonl({ hunks: hunks.slice(0, 2), firstPullNumber: 1 }),
      );
      const load = (extra: { commentRate?: number; commentBudget?: number }) =>
        loadEvalInputs({
          subject: SUBJECT,
          templates,
          holdoutPath: join(dir, "holdout.jsonl"),
          redis: { url: "redis://127.0.0.1:1", keyPrefix },
          log,
          ...extra,
        });
      await expect(load({})).rejects.toThrow("pass --comment-rate <rate> or --budget <n>");
      const inputs = await load({ commentBudget: 1 });
      expect(inputs.commentBudget).toBe(1);
      expect(inputs.fewShotExamples).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
