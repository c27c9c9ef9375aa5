/**
 * npm run bench:scrape — what collecting one reviewer's history costs in GitHub requests.
 *
 * Seeds a stand-in GitHub (real HTTP, GraphQL validated against GitHub's schema) with 100,000
 * review comments by many users, 1,000 of them by the target over 250 pull requests, collects
 * the target's history with the real stage (Redis from REDIS_URL, default 127.0.0.1:6379), then
 * lists the repository's review comments the naive REST way (100 per page) for comparison.
 * Every figure printed is counted from the requests the stand-in received.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { pino } from "pino";
import { ProbotOctokit } from "probot";
import { collectHistory } from "../src/history/collect-history.js";
import { defaultHistoryConfig } from "../src/history/history-config.js";
import { releaseHistory } from "../src/history/release-history.js";
import { historyKeys } from "../src/history/store-history.js";
import { loadPrompts } from "../src/prompts/load-prompts.js";
import { startGithubStandIn } from "../support/history/github-stand-in.js";
import { seedRepository } from "../support/history/seed-repository.js";

const print = (line: string) => process.stdout.write(`${line}\n`);
const target = "alice";
const repo = seedRepository({
  owner: "acme",
  name: "widgets",
  target,
  targetComments: 1000,
  targetPulls: 250,
  totalComments: 100_000,
  otherReviewers: 80,
  otherPulls: 4750,
  bigReviewComments: 120,
  manyReviews: 30,
  replyShare: 0.05,
});
const seeded = repo.pulls.flatMap((pull) => pull.reviews.flatMap((review) => review.comments));
print(
  `seeded: pulls=${repo.pulls.length} comments=${seeded.length} target_comments=${seeded.filter((comment) => comment.author.login === target).length}`,
);

const standIn = await startGithubStandIn({ repo });
const Octokit = ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } });
const octokit = new Octokit({ auth: { token: standIn.token }, baseUrl: standIn.url });
const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", {
  maxRetriesPerRequest: 1,
});
const keyPrefix = `bench-${randomUUID()}`;
const subject = { owner: repo.owner, repo: repo.name, reviewerLogin: target };
try {
  const started = performance.now();
  const result = await collectHistory({
    subject,
    runId: "bench",
    forceReload: false,
    graphql: (query, variables) => octokit.graphql(query, variables),
    request: (route, params) => octokit.request(route, params),
    redis,
    keyPrefix,
    config: defaultHistoryConfig(),
    templates: await loadPrompts(),
    appBotLogin: "tech-lead-bot[bot]",
    log: pino({ level: "warn" }),
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const graphqlRequests = standIn.requests.filter((request) => request.path === "/graphql");
  const fileRequests = standIn.requests.filter((request) => request.path.endsWith("/files"));
  const { stats } = result;
  print(
    `collected in ${seconds}s: raw_comments=${stats.rawComments} kept=${stats.comments} pulls=${stats.pulls} train=${stats.trainExamples} holdout=${stats.holdoutExamples} dropped=${JSON.stringify(stats.dropped)}`,
  );
  print(
    `graphql by operation: ${JSON.stringify(Object.fromEntries(["ReviewedPulls", "FollowUps", "CountReviewedPulls"].map((name) => [name, graphqlRequests.filter((request) => request.operationName === name).length])))}`,
  );
  const naiveStart = standIn.requests.length;
  let naiveTargetComments = 0;
  for await (const page of octokit.paginate.iterator("GET /repos/{owner}/{repo}/pulls/comments", {
    owner: repo.owner,
    repo: repo.name,
    per_page: 100,
  })) {
    naiveTargetComments += page.data.filter((comment) => comment.user?.login === target).length;
  }
  const naiveRequests = standIn.requests.length - naiveStart;
  print(`naive listing found ${naiveTargetComments} target comments`);
  print(
    `file listings (negatives and the where-model's pull requests, one request each): requests=${fileRequests.length} prs=${new Set(fileRequests.map((request) => request.path)).size} negative_hunks=${stats.negatives} comments_with_full_hunk=${stats.commentsWithFullHunk} comment_rate_per_hunk=${stats.commentRatePerHunk?.toFixed(3)}`,
  );
  print(
    `requests=${graphqlRequests.length} comments=${stats.rawComments} naive_requests=${naiveRequests}`,
  );
  await releaseHistory({ redis, keyPrefix, subject, runId: "bench" });
  await redis.del(historyKeys({ keyPrefix, subject }).stats);
} finally {
  await standIn.close();
  redis.disconnect();
}
