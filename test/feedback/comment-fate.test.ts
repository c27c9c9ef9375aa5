import { spawnSync } from "node:child_process";
import { Octokit } from "@octokit/core";
import { afterEach, describe, expect, it } from "vitest";
import type { CommentFate } from "../../src/fates/comment-fate.js";
import { createFateStore } from "../../src/fates/fate-store.js";
import { readPersonaFigures } from "../../src/fates/read-persona-figures.js";
import { prepareReviewFeedback } from "../../src/feedback/prepare-review-feedback.js";
import { type AppHarness, startAppHarness } from "../../support/app-harness.js";
import { lastUserMessage } from "../../support/llm/fake-openai-server.js";
import {
  deliverWebhook,
  eventually,
  pullRequestEvent,
  reviewComment,
  reviewThreadEvent,
} from "../../support/webhooks.js";
import { readDiffFixture } from "../review/support/acceptable-comment-lines.js";
import {
  HEAD_SHA,
  hunkOfRequest,
  OWNER,
  PULL,
  REPO,
  type ReviewHarness,
  startReviewHarness,
} from "../review/support/review-harness.js";
import { serveFeedbackEndpoints } from "./support/feedback-stand-in.js";

const PUSHED_SHA = "b".repeat(40);

let app: AppHarness | undefined;
let review: ReviewHarness | undefined;
afterEach(async () => {
  expect(app?.github.violations ?? []).toEqual([]);
  expect(review?.github.violations ?? []).toEqual([]);
  await review?.close();
  await app?.close();
  app = undefined;
  review = undefined;
});

/** A model that comments on a new-file line of every hunk (RIGHT side where there is one). */
const commentOnEveryHunk = (request: { messages: { role: string; content: string }[] }) => {
  const { path, changedAnchors } = hunkOfRequest(lastUserMessage(request as never));
  const anchor = changedAnchors.find((a) => a.startsWith("R")) ?? changedAnchors[0];
  return { text: `${anchor}: Is this change in ${path} covered?`, noCommentProbability: 0.2 };
};

async function postReviewWithFeedback(harness: AppHarness): Promise<CommentFate[]> {
  review = await startReviewHarness({
    diff: readDiffFixture("mixed-changes.diff"),
    answer: commentOnEveryHunk,
  });
  const feedback = await prepareReviewFeedback({
    redis: harness.redis,
    keyPrefix: harness.config.QUEUE_PREFIX,
    octokit: new Octokit({ baseUrl: review.github.apiBaseUrl, auth: "ghs_test" }),
    owner: OWNER,
    repo: REPO,
    pullNumber: PULL,
    headSha: HEAD_SHA,
    reviewerLogin: "alice",
    modelVersion: "v3",
    repoConfigFile: {},
    webUrl: "https://github.com",
  });
  await review.run({ feedback });
  return createFateStore({
    redis: harness.redis,
    keyPrefix: harness.config.QUEUE_PREFIX,
  }).readPersona({ owner: OWNER, repo: REPO, reviewerLogin: "alice" });
}

describe("the fate of posted comments, through the webhook handler", () => {
  it("counts a changed line, a resolved thread, a reply and a 👎 exactly once, redeliveries included", async () => {
    app = await startAppHarness();
    const harness = app;
    const posted = await postReviewWithFeedback(harness);
    expect(posted).toHaveLength(9);
    const onRight = posted.filter((fate) => fate.comment.side === "RIGHT");
    const [changed, resolved, replied, downVoted] = onRight.map((fate) => fate.comment);
    if (!changed || !resolved || !replied || !downVoted) throw new Error("need 4 RIGHT comments");

    const github = serveFeedbackEndpoints(harness.github);
    for (const fate of posted) {
      github.threads.set(fate.comment.commentId, {
        rootCommentId: fate.comment.commentId,
        isResolved: false,
        isOutdated: false,
        reactions: {},
      });
    }
    // The push rewrites the line `changed` sits on and nothing else under our comments.
    github.compares.set(`${HEAD_SHA}...${PUSHED_SHA}`, {
      files: [
        {
          filename: changed.path,
          status: "modified",
          patch: `@@ -${changed.line},1 +${changed.line},1 @@\n-old text\n+new text`,
        },
      ],
    });
    const threadOf = (id: number) => {
      const thread = github.threads.get(id);
      if (!thread) throw new Error(`no thread ${id}`);
      return thread;
    };
    threadOf(changed.commentId).isOutdated = true;
    harness.startFeedback();

    const deliveries: { name: string; payload: unknown; deliveryId: string }[] = [
      {
        name: "pull_request",
        deliveryId: "d-sync",
        payload: pullRequestEvent({
          action: "synchronize",
          owner: OWNER,
          repo: REPO,
          number: PULL,
          headSha: PUSHED_SHA,
        }),
      },
      {
        name: "pull_request_review_thread",
        deliveryId: "d-resolved",
        payload: reviewThreadEvent({ action: "resolved", rootCommentId: resolved.commentId }),
      },
      {
        name: "pull_request_review_comment",
        deliveryId: "d-reply",
        payload: withReplyTo(
          reviewComment({
            body: "Good point, but the caller checks this already.",
            login: "bob",
            commentId: 9001,
          }),
          replied.commentId,
        ),
      },
    ];
    for (const delivery of deliveries)
      await deliverWebhook({ probot: harness.probot, ...delivery });
    await eventually(async () => expect(await jobsLeft(harness)).toBe(0));
    expect(github.graphqlCalls()).toBe(1);

    // On close, GitHub's GraphQL shows the resolved thread and a 👎 on `downVoted`.
    threadOf(resolved.commentId).isResolved = true;
    threadOf(downVoted.commentId).reactions = { THUMBS_DOWN: 1 };
    const closed = {
      name: "pull_request",
      deliveryId: "d-closed",
      payload: pullRequestEvent({
        action: "closed",
        owner: OWNER,
        repo: REPO,
        number: PULL,
        headSha: PUSHED_SHA,
        merged: true,
      }),
    };
    await deliverWebhook({ probot: harness.probot, ...closed });
    deliveries.push(closed);
    await eventually(async () => expect(await jobsLeft(harness)).toBe(0));
    const prEvents = 2;
    expect(github.graphqlCalls()).toBeLessThanOrEqual(prEvents);

    const expected = {
      comments: 9,
      reviews: 1,
      commentsPerReview: 9,
      addressed: 1,
      addressedRate: 0.111,
      resolved: 1,
      resolvedRate: 0.111,
      thumbsUp: 0,
      thumbsDown: 1,
      otherReactions: 0,
      replies: 1,
      repliedComments: 1,
      ignored: 5,
    };
    const figures = await readPersonaFigures({
      redis: harness.redis,
      keyPrefix: harness.config.QUEUE_PREFIX,
      owner: OWNER,
      repo: REPO,
      reviewerLogin: "alice",
    });
    expect(figures.currentVersion).toBe("v3");
    expect(figures.current).toEqual(expected);
    expect(figures.allTime).toEqual(expected);
    const store = createFateStore({ redis: harness.redis, keyPrefix: harness.config.QUEUE_PREFIX });
    expect((await store.read(changed.commentId))?.addressedBy).toBe("line changed");
    expect((await store.read(replied.commentId))?.replies).toEqual([
      {
        replyId: 9001,
        login: "bob",
        body: "Good point, but the caller checks this already.",
        createdAt: expect.any(String),
      },
    ]);

    // GitHub redelivers everything (same delivery ids): nothing moves, no new GraphQL read.
    const graphqlBefore = github.graphqlCalls();
    for (const delivery of deliveries)
      await deliverWebhook({ probot: harness.probot, ...delivery });
    await eventually(async () => expect(await jobsLeft(harness)).toBe(0));
    const again = await readPersonaFigures({
      redis: harness.redis,
      keyPrefix: harness.config.QUEUE_PREFIX,
      owner: OWNER,
      repo: REPO,
      reviewerLogin: "alice",
    });
    expect(again.allTime).toEqual(expected);
    expect(github.graphqlCalls()).toBe(graphqlBefore);

    // `npm run feedback` prints the same figures as JSON.
    const cli = spawnSync(
      "npx",
      ["tsx", "src/start/feedback.ts", "--repo", `${OWNER}/${REPO}`, "--reviewer", "alice"],
      {
        env: {
          ...process.env,
          QUEUE_PREFIX: harness.config.QUEUE_PREFIX,
          REDIS_URL: harness.config.REDIS_URL,
        },
        encoding: "utf8",
      },
    );
    expect(cli.stderr).toBe("");
    expect(JSON.parse(cli.stdout).allTime).toEqual(expected);

    // `forget` removes the persona's records with the rest of its data.
    expect(await store.forgetPersona({ owner: OWNER, repo: REPO, reviewerLogin: "alice" })).toBe(9);
    expect(await store.commentIdsOfPull({ owner: OWNER, repo: REPO, pullNumber: PULL })).toEqual(
      [],
    );
    expect(await harness.redis.keys(`${harness.config.QUEUE_PREFIX}:feedback:*`)).toEqual([]);
  });

  it("reads an open PR's reactions on a bounded schedule after the review, once per review and day", async () => {
    app = await startAppHarness();
    const harness = app;
    const github = serveFeedbackEndpoints(harness.github);
    const store = createFateStore({ redis: harness.redis, keyPrefix: harness.config.QUEUE_PREFIX });
    await store.recordPosted([
      {
        commentId: 777,
        owner: OWNER,
        repo: REPO,
        reviewerLogin: "alice",
        modelVersion: "v3",
        pullNumber: PULL,
        reviewId: 70,
        path: "src/server.ts",
        line: 3,
        side: "RIGHT",
        commitId: HEAD_SHA,
        text: "Is the port configurable?",
        hunk: "@@ -1 +1,2 @@\n ctx\n+const port = 1;",
        postedAt: "2026-03-01T00:00:00Z",
      },
    ]);
    github.pull.headRefOid = HEAD_SHA;
    github.threads.set(777, {
      rootCommentId: 777,
      isResolved: false,
      isOutdated: false,
      reactions: { THUMBS_UP: 2 },
    });
    // GitHub sends our own two inline comments of one review back as webhooks.
    for (const commentId of [777, 778]) {
      const payload = reviewComment({
        body: `Is the port configurable?\n\n<!-- tech-lead-bot fp:${"0123456789abcdef"} -->`,
        login: "tech-lead-bot[bot]",
        userType: "Bot",
        commentId,
      });
      const pullRequest = payload.pull_request as Record<string, unknown>;
      pullRequest.number = PULL;
      payload.repository.name = REPO;
      payload.repository.owner.login = OWNER;
      await deliverWebhook({
        probot: harness.probot,
        name: "pull_request_review_comment",
        payload,
      });
    }
    const delayed = await harness.feedbackQueue.getDelayed();
    expect(delayed.map((job) => [job.id, job.opts.delay])).toEqual([
      [`feedback-${OWNER}-${REPO}-${PULL}-scheduled-1`, 24 * 3600 * 1000],
    ]);

    harness.startFeedback();
    await delayed[0]?.promote();
    await eventually(async () => {
      expect((await store.read(777))?.reactions).toEqual({ THUMBS_UP: 2 });
      // Still open: the next day's read is queued.
      expect((await harness.feedbackQueue.getDelayed()).map((job) => job.id)).toEqual([
        `feedback-${OWNER}-${REPO}-${PULL}-scheduled-2`,
      ]);
    });
    expect(github.graphqlCalls()).toBe(1);
  });

  it("reads nothing from GitHub for a pull request without comments of ours", async () => {
    app = await startAppHarness();
    const github = serveFeedbackEndpoints(app.github);
    app.startFeedback();
    await deliverWebhook({
      probot: app.probot,
      name: "pull_request",
      payload: pullRequestEvent({
        action: "closed",
        owner: OWNER,
        repo: REPO,
        number: 99,
        headSha: PUSHED_SHA,
      }),
    });
    expect(await app.feedbackQueue.count()).toBe(0);
    expect(github.graphqlCalls()).toBe(0);
  });
});

function withReplyTo(payload: Record<string, unknown>, inReplyTo: number): Record<string, unknown> {
  (payload.comment as Record<string, unknown>).in_reply_to_id = inReplyTo;
  return payload;
}

async function jobsLeft(harness: AppHarness): Promise<number> {
  const counts = await harness.feedbackQueue.getJobCounts("waiting", "active", "delayed");
  return (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0);
}
