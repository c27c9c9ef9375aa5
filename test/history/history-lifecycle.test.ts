import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { describeHistoryOutcome } from "../../src/history/describe-history-outcome.js";
import { loadFewShotExamples } from "../../src/history/load-few-shot-examples.js";
import { materialiseDataset } from "../../src/history/materialise-dataset.js";
import { loadHistoryStats, releaseHistory } from "../../src/history/release-history.js";
import { historyKeys, scrapedKeys } from "../../src/history/store-history.js";
import { parseAnswer } from "../../src/prompts/parse-answer.js";
import { seedRepository } from "../../support/history/seed-repository.js";
import { type HistoryHarness, startHistoryHarness } from "./support/history-harness.js";

const seed = (targetComments: number, targetPulls: number) =>
  seedRepository({
    owner: "acme",
    name: "widgets",
    target: "alice",
    otherReviewers: 3,
    targetComments,
    targetPulls,
    totalComments: targetComments + 20,
    otherPulls: 5,
  });

let harness: HistoryHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const pullNumberOf = (line: string) => Number(/-(\d+)-\d+\.ts/.exec(line)?.[1]);

describe("the collected dataset", () => {
  it("is chat JSONL TorchTune reads, with the newest pull requests held out", async () => {
    harness = await startHistoryHarness(seed(120, 40));
    const result = await harness.collect({ config: { NEGATIVES_MAX_PRS: 10 } });
    const dataset = await materialiseDataset({
      redis: harness.redis,
      keyPrefix: harness.keyPrefix,
      subject: harness.subject,
    });
    try {
      const train = (await readFile(dataset.trainPath, "utf8")).trimEnd().split("\n");
      const holdout = (await readFile(dataset.holdoutPath, "utf8")).trimEnd().split("\n");
      expect(train.length).toBe(result.stats.trainExamples);
      expect(holdout.length).toBe(result.stats.holdoutExamples);
      for (const line of [...train, ...holdout]) {
        const chat = JSON.parse(line);
        expect(Object.keys(chat)).toEqual(["messages"]);
        expect(chat.messages.map((message: { role: string }) => message.role)).toEqual([
          "system",
          "user",
          "assistant",
        ]);
        expect(chat.messages[0].content).toContain(
          "alice reviews pull requests in the repository acme/widgets",
        );
        expect(chat.messages[1].content).toMatch(/^File: \S+\n\n@@ -\d+/);
        expect(() => parseAnswer(chat.messages[2].content)).not.toThrow();
      }
      const comments = (lines: string[]) => lines.filter((line) => !line.includes('"NO_COMMENT"'));
      const heldOutShare = comments(holdout).length / result.stats.comments;
      expect(heldOutShare).toBeGreaterThanOrEqual(0.1);
      expect(heldOutShare).toBeLessThan(0.2);
      expect(Math.min(...holdout.map(pullNumberOf))).toBeGreaterThan(
        Math.max(...train.map(pullNumberOf)),
      );
      expect(holdout.some((line) => line.includes('"NO_COMMENT"'))).toBe(true);
      expect(train.some((line) => line.includes('"NO_COMMENT"'))).toBe(true);
    } finally {
      await dataset.remove();
    }
    expect(result.stats).toMatchObject({
      rawComments: 120,
      pulls: 40,
      dateRange: {
        from: expect.stringMatching(/^2022-01-01T/),
        to: expect.stringMatching(/^2022-/),
      },
      medianCommentChars: expect.any(Number),
      commentRatePerHunk: expect.any(Number),
    });
    expect(result.stats.commentsWithFullHunk).toBeGreaterThan(0);
    expect(result.stats.dropped["content-free"]).toBeGreaterThan(0);
    expect(result.trainable).toBe(true);
    expect(describeHistoryOutcome(result)).toMatch(
      /^Collected \d+ review comments by `alice` on 40 pull requests/,
    );
  });
});

describe("privacy", () => {
  it("keeps scraped data under the TTL, deletes it when the last run ends and keeps the statistics", async () => {
    harness = await startHistoryHarness(seed(25, 10));
    const { redis, keyPrefix, subject } = harness;
    await harness.collect({ runId: "run-1", config: { HISTORY_TTL_SECONDS: 600 } });
    await harness.collect({ runId: "run-2", config: { HISTORY_TTL_SECONDS: 600 } });
    const keys = historyKeys({ keyPrefix, subject });
    for (const key of [
      keys.comments,
      keys.pulls,
      keys.negatives,
      keys.train,
      keys.holdout,
      keys.checkpoint,
      keys.result,
    ]) {
      const ttl = await redis.ttl(key);
      expect([key, ttl > 0 && ttl <= 600]).toEqual([key, true]);
    }
    expect(await redis.ttl(keys.stats)).toBe(-1);
    expect(await loadFewShotExamples({ redis, keyPrefix, subject, count: 4 })).toHaveLength(6);

    expect(await releaseHistory({ redis, keyPrefix, subject, runId: "run-1" })).toBe(false);
    expect(await redis.exists(keys.comments)).toBe(1);
    expect(await releaseHistory({ redis, keyPrefix, subject, runId: "run-2" })).toBe(true);
    expect(await redis.exists(...scrapedKeys(keys))).toBe(0);
    expect((await loadHistoryStats({ redis, keyPrefix, subject }))?.rawComments).toBe(25);
    await expect(materialiseDataset({ redis, keyPrefix, subject })).rejects.toThrow(
      /never collected or expired/,
    );
  });
});

describe("cached results", () => {
  it("reuses a finished collection, and --force-reload collects again once per run", async () => {
    harness = await startHistoryHarness(seed(25, 10));
    const first = await harness.collect({ runId: "run-1" });
    const afterFirst = harness.standIn.requests.length;
    expect(await harness.collect({ runId: "run-2" })).toEqual(first);
    expect(harness.standIn.requests.length).toBe(afterFirst);

    await harness.collect({ runId: "run-3", forceReload: true });
    const afterReload = harness.standIn.requests.length;
    expect(afterReload).toBeGreaterThan(afterFirst);
    // The same run retried after finishing does not scrape a third time.
    expect((await harness.collect({ runId: "run-3", forceReload: true })).runId).toBe("run-3");
    expect(harness.standIn.requests.length).toBe(afterReload);
  });
});

describe("too little history", () => {
  it("says so with the count and still keeps examples for few-shot reviews", async () => {
    harness = await startHistoryHarness(seed(5, 3));
    const result = await harness.collect();
    expect(result.trainable).toBe(false);
    expect(describeHistoryOutcome(result)).toBe(
      `Only ${result.stats.comments} usable review comments by \`alice\` in acme/widgets (${result.stats.dateRange?.from.slice(0, 10)} – ${result.stats.dateRange?.to.slice(0, 10)}); training needs at least 20, so this review uses few-shot examples from them instead.`,
    );
    const examples = await loadFewShotExamples({
      redis: harness.redis,
      keyPrefix: harness.keyPrefix,
      subject: harness.subject,
      count: 3,
    });
    expect(examples.length).toBeGreaterThan(0);
  });
});
