/**
 * npm run demo:embedded — the embedded default end to end, with no GPU and no LLM_BASE_URL: the
 * processes `npm run quickstart` runs (scripts/start-embedded-llm.sh: vLLM's CPU build on
 * SmolLM2-135M and a CPU training worker; `npm run worker`; `npm start`), pointed at the stand-in
 * GitHub of the e2e tests (every request checked against GitHub's OpenAPI description) serving
 * real history: bitcoin-core/secp256k1's review comments from the shared data, and a real merged
 * diff as the pull request. One mention of a reviewer with enough history to train (sipa),
 * timed, gets two reviews (REVIEW_WHILE_TRAINING, the embedded default):
 *   1. at once: history → a few-shot review from the base model, while training starts;
 *   2. later: CPU training (TRAINER_EXTRA_ARGS; by default the profile's own ~20-minute budget)
 *      → evaluation → a second review from the new adapter, on the same PR.
 * Prints both reviews' comments and the times: mention → few-shot review, mention → training
 * done, mention → adapter review. Needs `bash scripts/setup-cpu-stack.sh` once and Redis on
 * REDIS_URL. Uses its own adapters folder, vLLM port and queue prefix.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sign } from "@octokit/webhooks-methods";
import { testDeploymentEnv } from "../support/app-harness.js";
import { cookiesOf } from "../support/cookies.js";
import { startFakeGitHub } from "../support/fake-github.js";
import { forwardHistoryRequests, startGithubStandIn } from "../support/history/github-stand-in.js";
import { readMergedPullDiff, readStandInRepo } from "../support/llm/read-review-history.js";
import { freePort, serverProcessEnv, spawnNpm } from "../support/spawn-process.js";
import { issueCommentOnPullRequest, postWebhook, testPrivateKey } from "../support/webhooks.js";
import { requireSharedHistory } from "./support/require-data-file.js";

const OWNER = "Codertocat";
const REPO = "Hello-World";
// DEMO_PULL: another recorded pull request (with modified C files) to review instead.
const PULL = Number(process.env.DEMO_PULL ?? 1910);
const HEAD_SHA = "3333333333333333333333333333333333333333";
const REQUESTER = { login: "octo-dev", id: 583231 };
const USER_TOKEN = "ghu_demoRequesterToken000000000000000001";
const SECRET = "demo-webhook-secret";
const out = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (fromMs: number) => ((Date.now() - fromMs) / 1000).toFixed(0);

async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

const historyPath = requireSharedHistory();
const { title, diff } = await readMergedPullDiff({ historyPath, number: PULL });
const history = await startGithubStandIn({
  token: USER_TOKEN,
  repo: await readStandInRepo({
    historyPath,
    owner: OWNER,
    name: REPO,
    reviewers: { sipa: Number(process.env.DEMO_SIPA_PULLS ?? 20) },
  }),
});
const github = await startFakeGitHub();
let nextCommentId = 700;
github.on("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
  body: { permission: "write", role_name: "write" },
});
github.on("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
  status: 201,
  body: { id: 1 },
});
github.on("GET /repos/{owner}/{repo}/pulls/{pull_number}", (req) =>
  String(req.headers.accept).includes("diff")
    ? { headers: { "content-type": "application/vnd.github.diff; charset=utf-8" }, body: diff }
    : {
        body: {
          number: 1,
          html_url: `https://github.example/${OWNER}/${REPO}/pull/1`,
          head: { sha: HEAD_SHA },
        },
      },
);
github.on("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", () => ({
  status: 201,
  body: {
    id: ++nextCommentId,
    html_url: `https://github.example/pull/1#issuecomment-${nextCommentId}`,
  },
}));
github.on("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { body: { id: 701 } });
github.on("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { body: [] });
github.on("GET /repos/{owner}/{repo}/pulls/{pull_number}/comments", { body: [] });
github.on("GET /repos/{owner}/{repo}/contents/{path}", {
  status: 404,
  body: { message: "Not Found" },
});
let reviewId = 0;
github.on("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", () => ({
  body: { id: ++reviewId, html_url: `https://github.example/pull/1#pullrequestreview-${reviewId}` },
}));
github.on("POST /login/oauth/access_token", {
  body: {
    access_token: USER_TOKEN,
    expires_in: 28_800,
    refresh_token: "ghr_demoRefresh0000000000000000000001",
    refresh_token_expires_in: 15_897_600,
    token_type: "bearer",
    scope: "",
  },
});
github.on("GET /user", { body: { login: REQUESTER.login, id: REQUESTER.id, type: "User" } });
forwardHistoryRequests(github, history);

const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
const cacheAdapters = await mkdtemp(join(tmpdir(), "demo-adapters-"));
const deploymentEnv = testDeploymentEnv(origin);
// The point of the demo: no LLM_BASE_URL, so every process takes the embedded defaults.
delete deploymentEnv.LLM_BASE_URL;
const env = {
  ...serverProcessEnv({
    githubHost: github.host,
    port,
    queuePrefix: `demo-${Date.now()}`,
    privateKey: testPrivateKey(),
    webhookSecret: SECRET,
    deploymentEnv: { ...deploymentEnv, LOG_LEVEL: "info", LOG_FORMAT: "pretty" },
  }),
  // Its own vLLM and adapters folder: a fresh queue prefix restarts adapter versions at v1,
  // and a name must never meet different weights in a vLLM that already loaded it.
  EMBEDDED_LLM_PORT: String(await freePort()),
  ADAPTERS_DIR: cacheAdapters,
  STATUS_UPDATE_INTERVAL_MS: "5000",
  // What `npm run quickstart` sets for the embedded stack (scripts/start-embedded-llm.sh).
  TRAINING_ENABLED: "true",
  REVIEW_WHILE_TRAINING: "true",
  TRAINING_PICKUP_TIMEOUT_SECONDS: "1800",
  // Empty: the profile's own CPU budget (trainer/configs/smollm2_135M_lora.yaml, ~20 minutes).
  TRAINER_EXTRA_ARGS: process.env.TRAINER_EXTRA_ARGS ?? "",
};
const processes: { stop(): Promise<unknown> }[] = [];
const embedded = spawn("bash", ["-c", ". scripts/start-embedded-llm.sh && wait"], {
  // JSON log lines from the training worker, so the timeline below can read their times.
  env: { ...process.env, ...env, LOG_FORMAT: "json" },
  stdio: ["ignore", "pipe", "pipe"],
  detached: true,
});
let embeddedOutput = "";
embedded.stdout?.on("data", (chunk) => (embeddedOutput += String(chunk)));
embedded.stderr?.on("data", (chunk) => (embeddedOutput += String(chunk)));
processes.push({
  stop: async () => {
    if (embedded.pid && embedded.exitCode === null) process.kill(-embedded.pid, "SIGTERM");
  },
});

try {
  const stackStarted = Date.now();
  await waitFor(
    "the embedded stack",
    () => (/vLLM \(CPU\) is up|already serves/.test(embeddedOutput) ? true : undefined),
    900_000,
  );
  out(`embedded stack up in ${seconds(stackStarted)} s`);
  const server = spawnNpm("start", env);
  const worker = spawnNpm("worker", env);
  processes.push(server, worker);
  await server.waitForOutput(/Listening on/, 60_000);
  await worker.waitForOutput(/persona worker waiting for runs/, 60_000);

  const reviews = () => github.calls("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews");
  // Status comments as written, in order: created (the first text may already carry the
  // sign-in link, when the run parks before any edit), then edited.
  const statusRoutes = new Set([
    "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
  ]);
  const statusBodies = () =>
    github.requests
      .filter((req) => statusRoutes.has(req.route))
      .map((req) => (req.body as { body: string }).body);

  const mention = async (reviewer: string, commentId: number) => {
    const payload = issueCommentOnPullRequest({
      body: `@tech-lead-bot ${reviewer}`,
      login: REQUESTER.login,
      commentId,
    });
    payload.comment.user.id = REQUESTER.id;
    const body = JSON.stringify(payload);
    const response = await postWebhook({
      origin,
      event: "issue_comment",
      deliveryId: `demo-${commentId}`,
      body,
      signature: await sign(SECRET, body),
    });
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
  };
  const printReview = (label: string, index: number, startedMs: number) => {
    const review = reviews()[index]?.body as {
      body: string;
      comments: { path: string; line: number; side: string; body: string }[];
    };
    out(`\n== ${label}: review posted ${seconds(startedMs)} s after the mention`);
    out(review.body);
    for (const comment of review.comments) {
      // As it reads on GitHub: the hidden fingerprint marker is not shown.
      const shown = comment.body
        .replace(/<!--[\s\S]*?-->/g, "")
        .replace(/\n/g, " ")
        .trim();
      out(`  ${comment.path}:${comment.side}:${comment.line}  ${shown}`);
    }
  };
  // When each new status headline was first written (polled every half second).
  const timeline: { atMs: number; headline: string }[] = [];
  /** Notes the newest status's headline (its first line that is not markup) if it changed. */
  const noteHeadline = () => {
    const headline = statusBodies()
      .at(-1)
      ?.split("\n")
      .find((line) => /^[^\s*<`-]/.test(line));
    if (headline && timeline.at(-1)?.headline !== headline) {
      timeline.push({ atMs: Date.now(), headline });
    }
  };
  const watchStatus = setInterval(noteHeadline, 500);
  watchStatus.unref();

  out(`PR: secp256k1 #${PULL} "${title}" (${diff.split("\n").length} diff lines)`);
  const mentionedAt = Date.now();
  await mention("sipa", 9001);
  const signInUrl = await waitFor(
    "the sign-in link",
    () =>
      statusBodies()
        .map((body) => /\[Sign in with GitHub\]\(([^)]+)\)/.exec(body)?.[1])
        .find(Boolean),
    120_000,
  );
  const toGitHub = await fetch(signInUrl, { redirect: "manual" });
  const state = new URL(toGitHub.headers.get("location") ?? "").searchParams.get("state") ?? "";
  // The browser that opened the link comes back with the cookie the link set.
  const callback = await fetch(
    `${origin}/oauth/callback?code=c&state=${encodeURIComponent(state)}`,
    { headers: { cookie: cookiesOf(toGitHub) } },
  );
  if (callback.status !== 200) throw new Error(`the sign-in callback answered ${callback.status}`);
  await waitFor("the few-shot review", () => reviews()[0], 1_200_000);
  printReview("review 1 (sipa): few-shot, while the adapter trains", 0, mentionedAt);

  // Training is done when the follow-up run starts: its status names the adapter or shows the
  // review's progress (status edits settle, so either may be the one written).
  const beforeFollowUp = statusBodies().length;
  let trainingDoneAt: number | undefined;
  await waitFor(
    "the adapter review",
    () => {
      if (
        !trainingDoneAt &&
        statusBodies()
          .slice(beforeFollowUp)
          .some((body) => /Reviewing with `sipa`'s adapter|⏳ Reviewing:/.test(body))
      ) {
        trainingDoneAt = Date.now();
      }
      const ended = statusBodies().find((body) => /No second review from/.test(body));
      if (ended) throw new Error(`no adapter review; the status says:\n${ended}`);
      return reviews()[1];
    },
    3_600_000,
  );
  out(
    `\nmention → training done (status says so): ${trainingDoneAt ? `${((trainingDoneAt - mentionedAt) / 1000).toFixed(0)} s` : "?"}`,
  );
  printReview("review 2 (sipa): from the adapter trained meanwhile", 1, mentionedAt);
  // The run's last status edit settles after the review is posted.
  await waitFor(
    "the final status",
    () => (/^(✅|❌)/m.test(statusBodies().at(-1) ?? "") ? true : undefined),
    60_000,
  ).catch(() => undefined);
  clearInterval(watchStatus);
  noteHeadline();
  out("\nstatus comment timeline (seconds after the mention, each headline as first written):");
  for (const { atMs, headline } of timeline) {
    out(`  +${((atMs - mentionedAt) / 1000).toFixed(0).padStart(4)} s  ${headline}`);
  }
  // The training worker's own log lines (pino JSON from start-embedded-llm.sh's output).
  out("\ntraining worker (seconds after the mention):");
  for (const line of embeddedOutput.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const entry = JSON.parse(line) as { time?: number; msg?: string; [field: string]: unknown };
      if (!entry.time || !/train|adapter|evaluat/i.test(entry.msg ?? "")) continue;
      const { msg, examples, steps, evaluation, outcome } = entry;
      const fields = JSON.stringify({ examples, steps, evaluation, outcome });
      out(`  +${((entry.time - mentionedAt) / 1000).toFixed(0).padStart(4)} s  ${msg} ${fields}`);
    } catch {
      // Not a log line.
    }
  }
  out(`\nlast status comment:\n${statusBodies().at(-1)}`);
  out(`GitHub requests outside GitHub's OpenAPI description: ${github.violations.length}`);
} catch (error) {
  out(
    `demo failed: ${(error as Error).message}\nembedded stack output:\n${embeddedOutput.slice(-4000)}`,
  );
  process.exitCode = 1;
} finally {
  for (const running of processes.reverse()) await running.stop().catch(() => undefined);
  await github.close();
  await history.close();
  await rm(cacheAdapters, { recursive: true, force: true });
}
