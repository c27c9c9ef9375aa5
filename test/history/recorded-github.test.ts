import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createHistoryStore } from "../../src/history/store-history.js";
import {
  type RecordedPull,
  readRecordedHistory,
  recordedRepository,
} from "../../support/history/recorded-repository.js";
import { type HistoryHarness, startHistoryHarness } from "./support/history-harness.js";

/**
 * The recorded GitHub: the real review history of bitcoin-core/secp256k1 (../shared/data, not
 * copied into the repository), served through the stand-in's GraphQL search/reviews/comments and
 * REST files/diff routes, collected by the bot's own history code.
 */
const sharedDir = process.env.SHARED_DIR ?? resolve(import.meta.dirname, "../../../shared");
const historyPath = resolve(sharedDir, "data/secp256k1-review-history.jsonl.gz");

let harness: HistoryHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

// A small slice: pull requests opened in 2022 (40 of 464).
const inSlice = (pull: RecordedPull) => pull.created_at.startsWith("2022-");

function directReading(pulls: readonly RecordedPull[], reviewer: string) {
  return pulls
    .filter(inSlice)
    .flatMap((pull) =>
      pull.comments
        .filter((comment) => comment.user === reviewer)
        .map((comment) => ({
          databaseId: comment.id,
          pullNumber: pull.number,
          body: comment.body,
          diffHunk: comment.diff_hunk,
          path: comment.path,
          side: comment.side,
          line: comment.line,
          originalLine: comment.original_line,
          startLine: comment.start_line,
          createdAt: comment.created_at,
          isReply: comment.in_reply_to_id != null,
        })),
    )
    .sort((left, right) => left.databaseId - right.databaseId);
}

describe("the recorded GitHub", () => {
  it.each(["sipa", "jonasnick"])(
    "gives the history code %s's comments exactly as the recorded file holds them",
    async (reviewer) => {
      const pulls = readRecordedHistory(historyPath);
      const repo = recordedRepository(pulls, inSlice);
      harness = await startHistoryHarness(repo, { reviewerLogin: reviewer });
      const result = await harness.collect({ config: { NEGATIVES_MAX_PRS: 3 } });
      const store = createHistoryStore({
        redis: harness.redis,
        keyPrefix: harness.keyPrefix,
        subject: harness.subject,
        ttlSeconds: 60,
      });
      const collected = (await store.loadComments())
        .map((comment) => ({
          databaseId: comment.databaseId,
          pullNumber: comment.pullNumber,
          body: comment.body,
          diffHunk: comment.diffHunk,
          path: comment.path,
          side: comment.side,
          line: comment.line,
          originalLine: comment.originalLine,
          startLine: comment.startLine,
          createdAt: comment.createdAt,
          isReply: comment.replyToId !== null,
        }))
        .sort((left, right) => (left.databaseId ?? 0) - (right.databaseId ?? 0));
      const expected = directReading(pulls, reviewer);

      expect(expected.length).toBeGreaterThan(20);
      expect(collected).toEqual(expected);
      expect(result.stats.rawComments).toBe(expected.length);
      // Every pull request the reviewer reviewed in the slice, found through `reviewed-by:`.
      const reviewedPulls = new Set(
        pulls
          .filter(inSlice)
          .filter((pull) => pull.comments.some((comment) => comment.user === reviewer))
          .map((pull) => pull.number),
      );
      const collectedPulls = new Set((await store.loadPulls()).map((pull) => pull.number));
      for (const number of reviewedPulls) expect(collectedPulls).toContain(number);
      // The negatives came from the recorded files through GET /pulls/{n}/files.
      expect(harness.fileRequests().length).toBeGreaterThan(0);
      for (const negatives of await store.loadNegatives()) {
        const files = pulls.find((pull) => pull.number === negatives.pullNumber)?.files ?? [];
        const hunksInFiles = files
          .flatMap((file) => (file.patch ?? "").split("\n"))
          .filter((line) => line.startsWith("@@")).length;
        expect(negatives.totalHunks).toBe(hunksInFiles);
      }
    },
    60_000,
  );

  it("serves a pull request's diff built from its recorded files", async () => {
    const pulls = readRecordedHistory(historyPath);
    const pull = pulls.find(
      (candidate) => inSlice(candidate) && (candidate.files ?? []).length > 1,
    );
    if (!pull) throw new Error("the slice has no merged pull request with two files");
    harness = await startHistoryHarness(recordedRepository(pulls, inSlice));
    const response = await fetch(
      `${harness.standIn.url}/repos/bitcoin-core/secp256k1/pulls/${pull.number}`,
      {
        headers: {
          authorization: `token ${harness.standIn.token}`,
          accept: "application/vnd.github.v3.diff",
        },
      },
    );
    expect(response.status).toBe(200);
    const diff = await response.text();
    for (const file of pull.files ?? []) {
      expect(diff).toContain(`+++ b/${file.filename}`);
      if (file.patch) expect(diff).toContain(file.patch);
    }
  });
});
