import { Octokit } from "@octokit/core";
import type { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PostedComment } from "../../src/fates/comment-fate.js";
import { createFateStore } from "../../src/fates/fate-store.js";
import { findCrossReferences } from "../../src/feedback/find-cross-references.js";
import { prepareReviewFeedback } from "../../src/feedback/prepare-review-feedback.js";
import { createHistoryStore } from "../../src/history/store-history.js";
import { lastUserMessage } from "../../support/llm/fake-openai-server.js";
import { connectTestRedis, deleteKeys, uniqueName } from "../../support/redis.js";
import { readDiffFixture } from "../review/support/acceptable-comment-lines.js";
import {
  HEAD_SHA,
  hunkOfRequest,
  OWNER,
  PULL,
  REPO,
  REVIEWS_ROUTE,
  type ReviewHarness,
  startReviewHarness,
} from "../review/support/review-harness.js";

const TEST_KIND = "Please add a unit test that covers this new function.";
const LOCK_REMARK = "The listener is never closed when start fails; close the server on error.";

let redis: Redis;
let keyPrefix: string;
let harness: ReviewHarness | undefined;
beforeEach(async () => {
  redis = await connectTestRedis();
  keyPrefix = uniqueName("feedback");
});
afterEach(async () => {
  expect(harness?.github.violations ?? []).toEqual([]);
  await harness?.close();
  harness = undefined;
  await deleteKeys(redis, `${keyPrefix}:*`);
  await redis.quit();
});

/** src/feature.ts gets a "needs a test" remark, src/server.ts a remark about closing; the rest nothing. */
function answer(request: { messages: { role: string; content: string }[] }) {
  const { path, changedAnchors } = hunkOfRequest(lastUserMessage(request as never));
  const anchor = changedAnchors.find((a) => a.startsWith("R")) ?? changedAnchors[0];
  if (path === "src/feature.ts")
    return {
      text: `${anchor}: Please add a unit test that covers this function.`,
      noCommentProbability: 0.1,
    };
  if (path === "src/server.ts")
    return {
      text: `${anchor}: The listener is never closed when start fails.`,
      noCommentProbability: 0.1,
    };
  return { text: "NO_COMMENT", noCommentProbability: 0.9 };
}

/** `count` past comments of alice's persona of the "needs a test" kind, each down-voted. */
async function seedDownVoted(count: number): Promise<void> {
  const store = createFateStore({ redis, keyPrefix });
  const past: PostedComment[] = Array.from({ length: count }, (_, index) => ({
    commentId: 5000 + index,
    owner: OWNER,
    repo: REPO,
    reviewerLogin: "alice",
    modelVersion: "v3",
    pullNumber: 40 + index,
    reviewId: 6000 + index,
    path: `src/module-${index}.ts`,
    line: 3,
    side: "RIGHT",
    commitId: "c".repeat(40),
    text: [
      TEST_KIND,
      "Please add a unit test for this new function.",
      "Add a unit test that covers this function, please.",
    ][index % 3] as string,
    hunk: "@@ -0,0 +1 @@\n+export function f() {}",
    postedAt: new Date(Date.UTC(2026, 0, 1 + index)).toISOString(),
  }));
  await store.recordPosted(past);
  for (const comment of past) await store.setReactions(comment.commentId, { THUMBS_DOWN: 1 });
}

/** The real alice once wrote LOCK_REMARK on PR 123 (collected history, as the history stage stores it). */
async function seedRealHistory(): Promise<void> {
  await createHistoryStore({
    redis,
    keyPrefix,
    subject: { owner: OWNER, repo: REPO, reviewerLogin: "alice" },
    ttlSeconds: 600,
  }).savePage({
    pulls: [],
    comments: [
      {
        id: "PRRC_1",
        databaseId: 456,
        pullNumber: 123,
        body: LOCK_REMARK,
        diffHunk: "@@ -1 +1 @@\n-a\n+b",
        path: "src/server.ts",
        line: 1,
        originalLine: 1,
        startLine: null,
        originalStartLine: null,
        side: "RIGHT",
        createdAt: "2025-05-01T00:00:00Z",
        commitOid: null,
        originalCommitOid: null,
        outdated: false,
        replyToId: null,
        authorLogin: "alice",
        authorIsBot: false,
      },
    ],
  });
}

async function reviewWith(repoConfigFile: unknown) {
  harness = await startReviewHarness({ diff: readDiffFixture("mixed-changes.diff"), answer });
  const feedback = await prepareReviewFeedback({
    redis,
    keyPrefix,
    octokit: new Octokit({ baseUrl: harness.github.apiBaseUrl, auth: "ghs_test" }),
    owner: OWNER,
    repo: REPO,
    pullNumber: PULL,
    headSha: HEAD_SHA,
    reviewerLogin: "alice",
    modelVersion: "v3",
    repoConfigFile,
    webUrl: "https://github.com",
  });
  await harness.run({ feedback, repoConfigFile });
  const [posted] = harness.github
    .calls(REVIEWS_ROUTE)
    .map((request) => request.body as { body: string; comments: { path: string; body: string }[] });
  if (!posted) throw new Error("no review posted");
  return posted;
}

/** Paths commented on (src/server.ts has two hunks). */
function pathsOf(review: { comments: { path: string }[] }): string[] {
  return [...new Set(review.comments.map((c) => c.path))].sort();
}

describe("speaking less where it was ignored", () => {
  it("holds back a comment like three down-voted ones, keeps an unrelated one, and says why", async () => {
    await seedDownVoted(3);
    const review = await reviewWith({});
    expect(pathsOf(review)).toEqual(["src/server.ts"]);
    expect(review.body).toContain(
      "1 comment was held back: each closely resembles comments of this persona that people down-voted or ignored",
    );
    // The status comment's footer shows the persona's figures.
    expect(harness?.statuses.at(-1)?.details?.at(-1)).toBe(
      "feedback on alice's persona — v3: 0% addressed, 0% resolved, 0 👍 / 3 👎, 0 replies, 1 comments per review (3 comments, 0 ignored)",
    );
  });

  it("keeps both when the repository turns suppression off", async () => {
    await seedDownVoted(3);
    const review = await reviewWith({ feedback: { suppress: false } });
    expect(pathsOf(review)).toEqual(["src/feature.ts", "src/server.ts"]);
    expect(review.body).not.toContain("held back");
  });

  it("does not hold back on a single down-vote", async () => {
    await seedDownVoted(1);
    const review = await reviewWith({});
    expect(pathsOf(review)).toEqual(["src/feature.ts", "src/server.ts"]);
  });
});

describe("showing why it speaks", () => {
  it("cites the reviewer's close past comment without a cross-reference, and nothing on an unrelated one", async () => {
    await seedRealHistory();
    const review = await reviewWith({});
    // The first hunk of src/server.ts carries the remark; keep one body per path.
    const byPath = Object.fromEntries(review.comments.reverse().map((c) => [c.path, c.body]));
    const url = "https://redirect.github.com/octo-org/octo-repo/pull/123#discussion_r456";
    expect(byPath["src/server.ts"]).toContain(`(as on [PR 123](${url}))`);
    expect(byPath["src/feature.ts"]).not.toContain("as on");
    // By GitHub's autolink rule nothing here links back to PR 123 …
    for (const body of Object.values(byPath)) expect(findCrossReferences(body ?? "")).toEqual([]);
    // … while the comment's own html_url would have.
    expect(
      findCrossReferences(
        "(as on [PR 123](https://github.com/octo-org/octo-repo/pull/123#discussion_r456))",
      ),
    ).toHaveLength(1);
  });

  it("names the PR in a code span on GitHub Enterprise, which has no redirect host", async () => {
    await seedRealHistory();
    harness = await startReviewHarness({ diff: readDiffFixture("mixed-changes.diff"), answer });
    const feedback = await prepareReviewFeedback({
      redis,
      keyPrefix,
      octokit: new Octokit({ baseUrl: harness.github.apiBaseUrl, auth: "ghs_test" }),
      owner: OWNER,
      repo: REPO,
      pullNumber: PULL,
      headSha: HEAD_SHA,
      reviewerLogin: "alice",
      modelVersion: "v3",
      repoConfigFile: {},
      webUrl: "https://ghe.example.com",
    });
    expect(feedback.screen(LOCK_REMARK).suffix).toBe(" (as on `PR 123`)");
    expect(findCrossReferences(feedback.screen(LOCK_REMARK).suffix, "ghe.example.com")).toEqual([]);
  });
});
