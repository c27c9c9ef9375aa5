import { afterEach, describe, expect, it } from "vitest";
import type { PostedComment } from "../../src/fates/comment-fate.js";
import { createFateStore } from "../../src/fates/fate-store.js";
import { FEEDBACK_SIGNAL_VERSION } from "../../src/history/build-feedback-examples.js";
import { createHistoryStore } from "../../src/history/store-history.js";
import { seedRepository } from "../../support/history/seed-repository.js";
import { type HistoryHarness, startHistoryHarness } from "./support/history-harness.js";

let harness: HistoryHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const HUNK =
  "@@ -10,2 +10,3 @@ export function start() {\n   const port = 80;\n+  const host = 'x';\n   listen(port);";

function posted(commentId: number, text: string, pullNumber: number): PostedComment {
  return {
    commentId,
    owner: "acme",
    repo: "widgets",
    reviewerLogin: "alice",
    modelVersion: "v1",
    pullNumber,
    reviewId: 1,
    path: "src/server.ts",
    line: 11,
    side: "RIGHT",
    commitId: "c".repeat(40),
    text,
    hunk: HUNK,
    postedAt: "2026-02-01T00:00:00Z",
  };
}

describe("the retraining signal", () => {
  it("adds addressed comments as the persona's answers and down-voted or ignored ones as NO_COMMENT, versioned", async () => {
    const repo = seedRepository({
      owner: "acme",
      name: "widgets",
      target: "alice",
      otherReviewers: 2,
      targetComments: 30,
      targetPulls: 10,
      totalComments: 40,
      otherPulls: 0,
    });
    harness = await startHistoryHarness(repo);
    const store = createFateStore({ redis: harness.redis, keyPrefix: harness.keyPrefix });
    await store.recordPosted([
      posted(1, "Should host come from the environment?", 9001),
      posted(2, "Consider renaming host to bindAddress.", 9002),
      posted(3, "Nit: trailing space.", 9003),
      posted(4, "Is this covered by a test?", 9004),
    ]);
    await store.markAddressed(1, "line changed");
    await store.setReactions(2, { THUMBS_DOWN: 2 });
    await store.setPullState(3, "merged");
    // Comment 4: PR still open, nothing happened yet: no signal either way.

    const result = await harness.collect({ forceReload: true, config: { NEGATIVES_MAX_PRS: 0 } });
    expect(result.stats.feedbackSignal).toEqual({
      version: FEEDBACK_SIGNAL_VERSION,
      positives: 1,
      negatives: 2,
    });
    const dataset = await createHistoryStore({
      redis: harness.redis,
      keyPrefix: harness.keyPrefix,
      subject: harness.subject,
      ttlSeconds: 60,
    }).loadDatasetText();
    const answers = (dataset?.train ?? "")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { messages: { role: string; content: string }[] })
      .filter((chat) => chat.messages[1]?.content.includes("const host = 'x';"))
      .map((chat) => chat.messages[2]?.content);
    expect(answers).toEqual([
      "R11: Should host come from the environment?",
      "NO_COMMENT",
      "NO_COMMENT",
    ]);
    expect(dataset?.holdout).not.toContain("const host = 'x';");
  });
});
