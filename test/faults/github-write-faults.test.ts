import { afterEach, expect, it } from "vitest";
import { eventually } from "../../support/webhooks.js";
import { type FaultKit, readDiff, startFaultKit, waitForFinalStatus } from "./support/fault-kit.js";

/**
 * Fault matrix, GitHub side: writes GitHub saved before failing, refusals, rate limits and
 * redeliveries. Each run goes through the signed webhook, the intake worker and a persona
 * worker with the Octokit `npm run worker` uses (retries and throttling on), against a stand-in
 * GitHub that keeps what it saved. Each asserts: the reviews GitHub holds, exactly one status
 * comment in a final state, nothing of the run left in Redis.
 */
let kit: FaultKit | undefined;
afterEach(async () => {
  await kit?.close();
  kit = undefined;
});

const REVIEWS = "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews";
const COMMENTS = "POST /repos/{owner}/{repo}/issues/{issue_number}/comments";

it("row 1: a review POST answered 502 after GitHub saved it is adopted, not posted twice", async () => {
  kit = await startFaultKit({});
  kit.startWorker();
  kit.pull.failNext(REVIEWS, { status: 502, saved: true, message: "Bad Gateway" });
  await kit.mention();
  const status = await waitForFinalStatus(kit);
  expect(kit.pull.reviews).toHaveLength(1);
  expect(status).toContain(`pullrequestreview-${kit.pull.reviews[0]?.id}`);
  await kit.expectOneFinalStatus();
}, 30_000);

it("row 1: a status comment POST answered 502 after GitHub saved it is adopted, not posted twice", async () => {
  kit = await startFaultKit({});
  kit.startWorker();
  kit.pull.failNext(COMMENTS, { status: 502, saved: true, message: "Bad Gateway" });
  await kit.mention();
  await waitForFinalStatus(kit);
  // Let any second status comment (a blind re-send) arrive before counting.
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(kit.pull.reviews).toHaveLength(1);
  await kit.expectOneFinalStatus();
}, 30_000);

it("row 5: a 422 on every review POST ends the run at once with the real cause, no retries", async () => {
  kit = await startFaultKit({});
  kit.startWorker();
  kit.pull.failNext(REVIEWS, { status: 422, count: Infinity, message: "Unprocessable Entity" });
  kit.pull.failNext("POST /repos/{owner}/{repo}/pulls/{pull_number}/comments", {
    status: 422,
    count: Infinity,
    message: "Unprocessable Entity",
  });
  await kit.mention();
  const status = await waitForFinalStatus(kit);
  expect(status).toMatch(/❌/);
  expect(status).not.toMatch(/retrying/);
  expect(status).not.toContain("Pull requests: write");
  expect(status).toContain("would not accept the review");
  const job = await eventually(async () => {
    const [failed] = (await kit?.harness.personaQueue.getJobs(["failed"])) ?? [];
    expect(failed).toBeDefined();
    return failed;
  });
  expect(job?.attemptsMade).toBe(1);
  expect(kit.statusEdits().filter((body) => body.includes("retrying"))).toEqual([]);
  expect(kit.pull.reviews).toHaveLength(0);
  await kit.expectOneFinalStatus();
}, 30_000);

it("row 5: a secondary rate limit on the review POST waits retry-after inside the request", async () => {
  kit = await startFaultKit({});
  kit.startWorker();
  kit.pull.failNext(REVIEWS, {
    status: 403,
    headers: { "retry-after": "1" },
    message:
      "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
  });
  await kit.mention();
  const status = await waitForFinalStatus(kit);
  expect(status).toMatch(/✅/);
  expect(kit.pull.reviews).toHaveLength(1);
  // One attempt, never "retrying": the wait happened inside the request.
  expect(kit.statusEdits().filter((body) => body.includes("retrying"))).toEqual([]);
  await kit.expectOneFinalStatus();
}, 30_000);

it("holds: a 422 on the first review POST falls back to one review with its comments", async () => {
  kit = await startFaultKit({});
  kit.startWorker();
  kit.pull.failNext(REVIEWS, { status: 422, message: "Line could not be resolved" });
  await kit.mention();
  const status = await waitForFinalStatus(kit, 40_000);
  expect(status).toMatch(/✅/);
  expect(kit.pull.reviews).toHaveLength(1);
  expect(kit.pull.reviewComments.length).toBeGreaterThan(0);
  await kit.expectOneFinalStatus();
}, 60_000);

it("holds: the same delivery redelivered 10 times makes one run", async () => {
  kit = await startFaultKit({});
  kit.startWorker();
  for (let n = 0; n < 10; n++) await kit.mention({ deliveryId: "same-delivery", commentId: 31337 });
  await waitForFinalStatus(kit);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(kit.pull.reviews).toHaveLength(1);
  expect(
    kit.harness.github.calls("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"),
  ).toHaveLength(1);
  await kit.expectOneFinalStatus();
}, 30_000);

it("row 6: two identical hunks in one file are read separately, so a rerun reads the one that failed", async () => {
  let identicalCalls = 0;
  kit = await startFaultKit({
    diff: readDiff("identical-hunks.diff"),
    llm: (request) => {
      const hunk = request.messages.at(-1)?.content ?? "";
      if (!hunk.startsWith("File: ")) return { text: "This pull request tightens a check." };
      // The model fails on the first copy it is asked about, once (counting the greedy requests
      // that read a hunk, not the consensus's sampling for the posted comment).
      if ((request.n ?? 1) === 1 && ++identicalCalls === 1)
        return { status: 500, message: "stand-in failure" };
      const anchor = /^([RL]\d+) +[+-]/m.exec(hunk)?.[1] ?? "R1";
      return { text: `${anchor}: Prefer \`value == null\` here.`, noCommentProbability: 0.1 };
    },
  });
  kit.startWorker();
  await kit.mention();
  await waitForFinalStatus(kit);
  expect(kit.pull.reviews).toHaveLength(1);
  expect(kit.pull.reviews[0]?.comments).toHaveLength(1);
  // A second mention on the same head reads the copy that failed, and only that one.
  kit.pull.issueComments.length = 0;
  await kit.mention();
  await eventually(() => expect(kit?.pull.reviews).toHaveLength(2), 20_000);
  expect(kit.pull.reviews[1]?.comments).toHaveLength(1);
  expect(identicalCalls).toBe(3);
  await waitForFinalStatus(kit);
  await kit.expectOneFinalStatus();
}, 40_000);

it("row 3: a second mention on a reviewed head ends at once with a link, collecting nothing", async () => {
  kit = await startFaultKit({});
  kit.startWorker();
  await kit.mention();
  await waitForFinalStatus(kit);
  await eventually(async () => expect(await kit?.historyLeft()).toEqual([]));
  const modelCalls = kit.llm.requests.length;
  kit.pull.issueComments.length = 0;
  await kit.mention();
  const status = await waitForFinalStatus(kit);
  expect(status).toContain(`pullrequestreview-${kit.pull.reviews[0]?.id}`);
  expect(status).toMatch(/Already reviewed/);
  expect(kit.pull.reviews).toHaveLength(1);
  expect(kit.llm.requests.length).toBe(modelCalls);
  expect(kit.historyCollections()).toBe(1);
  await kit.expectOneFinalStatus();
}, 40_000);
