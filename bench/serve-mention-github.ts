/**
 * bench:mention's stand-in GitHub, in its own process: PR #1 with a real diff (stateful, so
 * reviews and status comments are kept as GitHub keeps them), the requester's GraphQL review
 * history (the history stand-in, seeded), and every REST request checked against GitHub's
 * OpenAPI description. IPC: sends `{ host }` when listening; "reset:<sha>" starts a new
 * measurement on head <sha>; "stats" answers `{ reviewAt, writesBeforeReview, violations }`.
 */
import { readFileSync } from "node:fs";
import { startFakeGitHub } from "../support/fake-github.js";
import { forwardHistoryRequests, startGithubStandIn } from "../support/history/github-stand-in.js";
import { seedRepository } from "../support/history/seed-repository.js";
import { serveStatefulPull } from "../support/stateful-pull.js";

const token = process.env.BENCH_USER_TOKEN ?? "";
const history = await startGithubStandIn({
  token,
  repo: seedRepository({
    owner: "Codertocat",
    name: "Hello-World",
    target: "alice",
    targetComments: 40,
    targetPulls: 12,
    totalComments: 200,
    otherReviewers: 4,
    otherPulls: 10,
  }),
});
const github = await startFakeGitHub();
let since = 0;
let reviewAt: number | undefined;
let writesBeforeReview = 0;
const isBotWrite = (method: string, pathname: string) =>
  method !== "GET" && pathname.startsWith("/repos/");
const pull = serveStatefulPull(github, {
  headSha: "0".repeat(40),
  diff: readFileSync(process.env.BENCH_DIFF_PATH ?? "", "utf8"),
  onReview: () => {
    if (reviewAt !== undefined) return;
    reviewAt = Date.now();
    writesBeforeReview = github.requests
      .slice(since)
      .filter((request) => isBotWrite(request.method, request.pathname)).length;
  },
});
forwardHistoryRequests(github, history);

process.send?.({ host: github.host });
process.on("message", async (message) => {
  if (typeof message === "string" && message.startsWith("reset:")) {
    pull.setHead(message.slice("reset:".length));
    pull.reviews.length = 0;
    pull.reviewComments.length = 0;
    pull.issueComments.length = 0;
    since = github.requests.length;
    reviewAt = undefined;
    process.send?.({ reset: true });
  } else if (message === "stats") {
    process.send?.({ reviewAt, writesBeforeReview, violations: github.violations });
  } else if (message === "close") {
    await github.close();
    await history.close();
    process.exit(0);
  }
});
