import { afterEach, describe, expect, it } from "vitest";
import { RateLimitDeferral } from "../../src/history/rate-limit-deferral.js";
import { historyKeys } from "../../src/history/store-history.js";
import { startFakeGitHub } from "../../support/fake-github.js";
import { type SeedOptions, seedRepository } from "../../support/history/seed-repository.js";
import { type HistoryHarness, startHistoryHarness } from "./support/history-harness.js";

const base = { owner: "acme", name: "widgets", target: "alice", otherReviewers: 5 } as const;
const seed = (options: Omit<SeedOptions, keyof typeof base>) =>
  seedRepository({ ...base, ...options });
const targetCount = (repo: ReturnType<typeof seed>) =>
  repo.pulls.flatMap((pull) =>
    pull.reviews
      .filter((review) => review.authorLogin === "alice")
      .flatMap((review) => review.comments),
  ).length;

let harness: HistoryHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("collectHistory paging", () => {
  it("pages search results, a pull request's reviews and a review's comments", async () => {
    const repo = seed({
      targetComments: 410,
      targetPulls: 130,
      totalComments: 600,
      otherPulls: 20,
      bigReviewComments: 150,
      manyReviews: 60,
    });
    harness = await startHistoryHarness(repo);
    const result = await harness.collect({
      config: { HISTORY_SEARCH_PAGE_SIZE: 50, NEGATIVES_MAX_PRS: 0, WHERE_MAX_PRS: 0 },
    });

    expect(result.stats.rawComments).toBe(targetCount(repo));
    expect(result.stats.pulls).toBe(130);
    const searches = harness.graphqlRequests("ReviewedPulls");
    expect(searches.map((request) => request.variables?.after === null)).toEqual([
      true,
      false,
      false,
    ]);
    const followUps = harness
      .graphqlRequests("FollowUps")
      .map((request) => Object.keys(request.variables ?? {}));
    // Review pages 2 and 3 of the 60-review pull request come one after the other; the second
    // comment page of the 150-comment review rides along with the first batch.
    expect(followUps.length).toBe(2);
    expect(followUps[0]).toEqual(
      expect.arrayContaining(["reviewsPageSize", "id0", "after0", "id1", "after1"]),
    );
    expect(harness.progress.at(-1)).toEqual({
      phase: "comments",
      prs: 130,
      comments: targetCount(repo),
    });
  });

  it("slices a search past GitHub's 1,000-result cap by creation date and misses nothing", async () => {
    const repo = seed({
      targetComments: 1100,
      targetPulls: 1100,
      totalComments: 1100,
      otherPulls: 0,
    });
    harness = await startHistoryHarness(repo);
    const result = await harness.collect({ config: { NEGATIVES_MAX_PRS: 0 } });

    expect(result.stats.pulls).toBe(1100);
    expect(result.stats.rawComments).toBe(1100);
    expect(harness.graphqlRequests("CountReviewedPulls").length).toBeGreaterThanOrEqual(1);
    const [first, ...sliced] = harness
      .graphqlRequests("ReviewedPulls")
      .map((request) => String(request.variables?.search));
    expect(first).not.toContain("created:");
    expect(sliced.length).toBeGreaterThanOrEqual(12);
    expect(sliced.every((search) => /created:\S+Z\.\.\S+Z/.test(search))).toBe(true);
  });
});

describe("collectHistory under rate limits (fake clock)", () => {
  it("waits for retry-after, the primary reset, and backs off exponentially without headers", async () => {
    harness = await startHistoryHarness(
      seed({ targetComments: 30, targetPulls: 10, totalComments: 40, otherPulls: 2 }),
    );
    const { standIn, clock } = harness;
    const secondary = {
      message:
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
    };
    standIn.fault({
      on: "graphql",
      status: 403,
      headers: { "retry-after": "30" },
      body: secondary,
    });
    standIn.fault({
      on: "graphql",
      skip: 1,
      status: 200,
      headers: {
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(clock.now() / 1000 + 30 + 120),
      },
      body: {
        errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded for user ID 1." }],
      },
    });
    standIn.fault({ on: "rest", status: 403, body: secondary });
    standIn.fault({ on: "rest", status: 403, body: secondary });

    const result = await harness.collect({
      config: {
        HISTORY_SEARCH_PAGE_SIZE: 5,
        NEGATIVES_MAX_PRS: 3,
        WHERE_MAX_PRS: 0,
        HISTORY_MAX_INLINE_WAIT_SECONDS: 600,
      },
    });

    expect(clock.sleeps).toEqual([30_000, 121_000, 60_000, 120_000]);
    expect(result.stats.rawComments).toBe(30);
    expect(harness.fileRequests().length).toBe(3 + 2);
  });

  it("pauses until the reset when a GraphQL answer says the budget is spent", async () => {
    harness = await startHistoryHarness(
      seed({ targetComments: 10, targetPulls: 4, totalComments: 10, otherPulls: 0 }),
    );
    harness.standIn.setRateLimitRemaining(1);
    const result = await harness.collect({
      config: {
        HISTORY_SEARCH_PAGE_SIZE: 2,
        NEGATIVES_MAX_PRS: 0,
        HISTORY_MAX_INLINE_WAIT_SECONDS: 7200,
      },
    });
    expect(harness.clock.sleeps).toEqual([3_601_000]);
    expect(result.stats.rawComments).toBe(10);
  });

  it("hands long waits back to the queue instead of sleeping, then resumes", async () => {
    harness = await startHistoryHarness(
      seed({ targetComments: 10, targetPulls: 4, totalComments: 10, otherPulls: 0 }),
    );
    const { clock, standIn } = harness;
    standIn.setRateLimitRemaining(1);
    const config = { HISTORY_SEARCH_PAGE_SIZE: 2, NEGATIVES_MAX_PRS: 0 };
    const deferral = await harness.collect({ config }).catch((error: unknown) => error);
    expect(deferral).toBeInstanceOf(RateLimitDeferral);
    expect((deferral as RateLimitDeferral).resumeAt.getTime()).toBe(clock.now() + 3_601_000);
    expect(clock.sleeps).toEqual([]);

    await clock.sleep(3_601_000);
    const result = await harness.collect({ config });
    expect(result.stats.rawComments).toBe(10);
    expect(harness.graphqlRequests("ReviewedPulls").length).toBe(2);
  });

  it("gives up with the reason after the configured retries", async () => {
    harness = await startHistoryHarness(
      seed({ targetComments: 3, targetPulls: 1, totalComments: 3, otherPulls: 0 }),
    );
    for (let count = 0; count < 3; count++)
      harness.standIn.fault({ on: "graphql", status: 502, body: { message: "timeout" } });
    await expect(
      harness.collect({ config: { HISTORY_MAX_RATE_LIMIT_RETRIES: 2 } }),
    ).rejects.toThrow(/GitHub graphql request failed \(gave up after 3 attempts\)/);
  });
});

describe("collectHistory resume", () => {
  it("resumes from the checkpointed cursor after a crash instead of starting over", async () => {
    const repo = seed({ targetComments: 60, targetPulls: 30, totalComments: 80, otherPulls: 5 });
    harness = await startHistoryHarness(repo);
    harness.standIn.fault({
      on: "graphql",
      skip: 2,
      status: 500,
      body: { message: "worker died" },
    });
    const config = { HISTORY_SEARCH_PAGE_SIZE: 10, NEGATIVES_MAX_PRS: 0 };
    await expect(harness.collect({ config })).rejects.toThrow(/not retryable/);

    const keys = historyKeys({ keyPrefix: harness.keyPrefix, subject: harness.subject });
    const checkpoint = JSON.parse((await harness.redis.get(keys.checkpoint)) ?? "{}");
    expect(checkpoint.cursor).toEqual(expect.any(String));
    const before = harness.graphqlRequests("ReviewedPulls").length;

    const result = await harness.collect({ config });
    const resumed = harness.graphqlRequests("ReviewedPulls").slice(before);
    expect(resumed[0]?.variables?.after).toBe(checkpoint.cursor);
    expect(before + resumed.length).toBe(3 + 1);
    expect(result.stats.rawComments).toBe(60);
    // The request that crashed the worker never reached a checkpoint; every other one is counted.
    expect(result.stats.requests.graphql).toBe(harness.graphqlRequests().length - 1);
  });

  it("does not fetch a pull request's files twice after a crash among the negatives", async () => {
    harness = await startHistoryHarness(
      seed({ targetComments: 40, targetPulls: 20, totalComments: 40, otherPulls: 0 }),
    );
    harness.standIn.fault({ on: "rest", skip: 2, status: 500, body: { message: "worker died" } });
    const config = { NEGATIVES_MAX_PRS: 5, WHERE_MAX_PRS: 0 };
    await expect(harness.collect({ config })).rejects.toThrow(/not retryable/);
    const result = await harness.collect({ config });
    expect(harness.fileRequests().length).toBe(5 + 1);
    expect(new Set(harness.fileRequests().map((request) => request.path)).size).toBe(5);
    expect(result.stats.negatives).toBeGreaterThan(0);
  });

  it("keeps every hunk of the newest WHERE_MAX_PRS pull requests, one file request each, shared with the negatives and not repeated after a crash", async () => {
    const repo = seed({ targetComments: 40, targetPulls: 20, totalComments: 40, otherPulls: 0 });
    harness = await startHistoryHarness(repo);
    harness.standIn.fault({ on: "rest", skip: 7, status: 500, body: { message: "worker died" } });
    const config = { NEGATIVES_MAX_PRS: 5, WHERE_MAX_PRS: 12 };
    await expect(harness.collect({ config })).rejects.toThrow(/not retryable/);
    await harness.collect({ config });
    // 12 listings (the 5 negatives' pull requests are among the 12 newest) + the one that failed.
    expect(harness.fileRequests().length).toBe(12 + 1);
    expect(new Set(harness.fileRequests().map((request) => request.path)).size).toBe(12);
    const keys = historyKeys({ keyPrefix: harness.keyPrefix, subject: harness.subject });
    const stored = (await harness.redis.hvals(keys.pullFiles)).map(
      (value) => JSON.parse(value) as { pullNumber: number; files: { patch?: string }[] },
    );
    const newest = [...repo.pulls]
      .sort((left, right) => right.createdAt.localeCompare(left.createdAt))
      .slice(0, 12)
      .map((pull) => pull.number);
    expect(stored.map((entry) => entry.pullNumber).sort()).toEqual([...newest].sort());
    for (const entry of stored) {
      const pull = repo.pulls.find((candidate) => candidate.number === entry.pullNumber);
      expect(entry.files.map((file) => file.patch)).toEqual(pull?.files.map((file) => file.patch));
    }
  });
});

describe("collectHistory REST requests", () => {
  it("are ones GitHub's OpenAPI description accepts, one per pull request for the negatives", async () => {
    const fake = await startFakeGitHub();
    try {
      fake.on("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
        body: [{ filename: "a.ts", status: "modified", patch: "@@ -1 +1 @@\n-a\n+b" }],
      });
      harness = await startHistoryHarness(
        seed({ targetComments: 20, targetPulls: 8, totalComments: 20, otherPulls: 0 }),
        { restBaseUrl: fake.apiBaseUrl },
      );
      const result = await harness.collect({ config: { NEGATIVES_MAX_PRS: 4, WHERE_MAX_PRS: 0 } });
      const calls = fake.calls("GET /repos/{owner}/{repo}/pulls/{pull_number}/files");
      expect(fake.violations).toEqual([]);
      expect(calls.map((call) => call.query.get("per_page"))).toEqual(["100", "100", "100", "100"]);
      expect(result.stats.negatives).toBe(4);
    } finally {
      await fake.close();
    }
  });
});
