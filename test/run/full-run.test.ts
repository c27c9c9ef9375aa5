import { readFileSync } from "node:fs";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createRunStages } from "../../src/start/create-run-stages.js";
import { type GithubStandIn, startGithubStandIn } from "../history/support/github-stand-in.js";
import { seedRepository } from "../history/support/seed-repository.js";
import { acceptableCommentLines } from "../review/support/acceptable-comment-lines.js";
import { type AppHarness, startAppHarness, TEST_CLIENT_ID } from "../support/app-harness.js";
import type { RecordedRequest } from "../support/fake-github.js";
import { deliverWebhook, eventually, issueCommentOnPullRequest } from "../support/webhooks.js";
import { type FakeOpenAiServer, startFakeOpenAiServer } from "../support-llm/fake-openai-server.js";

/**
 * A whole persona run through the real processes' wiring: mention → 👀 and status → sign-in
 * → history over GraphQL (validated against GitHub's schema) → few-shot review with the
 * stand-in LLM → one COMMENT review on lines GitHub accepts.
 */
const OWNER = "Codertocat";
const REPO = "Hello-World";
const HEAD_SHA = "2222222222222222222222222222222222222222";
const REQUESTER = { login: "octo-dev", id: 583231 };
const USER_TOKEN = "ghu_fullRunRequesterToken0000000000001";
const DIFF = readFileSync(new URL("../fixtures/diffs/mixed-changes.diff", import.meta.url), "utf8");

let harness: AppHarness;
let history: GithubStandIn;
let llm: FakeOpenAiServer;

/** Forwards a request to the history stand-in, which plays GitHub's GraphQL and file lists. */
async function forward(req: RecordedRequest, path: string) {
  const response = await fetch(`${history.url}${path}`, {
    method: req.method,
    headers: {
      authorization: String(req.headers.authorization ?? ""),
      "content-type": "application/json",
    },
    ...(req.method === "POST" ? { body: JSON.stringify(req.body) } : {}),
  });
  return { status: response.status, body: await response.json() };
}

beforeEach(async () => {
  history = await startGithubStandIn({
    token: USER_TOKEN,
    repo: seedRepository({
      owner: OWNER,
      name: REPO,
      target: "alice",
      targetComments: 40,
      targetPulls: 12,
      totalComments: 200,
      otherReviewers: 4,
      otherPulls: 10,
    }),
  });
  // The base model in few-shot mode: comments on hunks that touch a test, silent elsewhere.
  llm = await startFakeOpenAiServer((request) => {
    const hunk = request.messages.at(-1)?.content ?? "";
    if (request.messages[0]?.content.startsWith("You write the first sentence"))
      return { text: "This pull request reorganises the server code." };
    const anchor = /^(R\d+)/m.exec(
      hunk.split("\n").find((line) => /^R\d+ *[+]/.test(line)) ?? "",
    )?.[1];
    return anchor
      ? { text: `${anchor}: @everyone please add a test for this`, noCommentLogprob: -3 }
      : { text: "NO_COMMENT", noCommentLogprob: -0.01 };
  });
  harness = await startAppHarness({
    LLM_BASE_URL: llm.baseUrl,
    LLM_MAX_RETRIES: "0",
    STATUS_UPDATE_INTERVAL_MS: "1000",
  });
  const { github } = harness;
  let nextId = 700;
  github.on("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
    body: { permission: "write", role_name: "write" },
  });
  github.on("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
    status: 201,
    body: { id: 1 },
  });
  github.on("GET /repos/{owner}/{repo}/pulls/{pull_number}", (req) =>
    String(req.headers.accept).includes("diff")
      ? { headers: { "content-type": "application/vnd.github.diff; charset=utf-8" }, body: DIFF }
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
    body: { id: ++nextId, html_url: `https://github.example/pull/1#issuecomment-${nextId}` },
  }));
  github.on("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { body: { id: 701 } });
  github.on("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { body: [] });
  github.on("GET /repos/{owner}/{repo}/pulls/{pull_number}/comments", { body: [] });
  github.on("GET /repos/{owner}/{repo}/contents/{path}", {
    status: 404,
    body: { message: "Not Found" },
  });
  github.on("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", () => ({
    body: { id: 9, html_url: `https://github.example/${OWNER}/${REPO}/pull/1#pullrequestreview-9` },
  }));
  github.on("POST /login/oauth/access_token", {
    body: {
      access_token: USER_TOKEN,
      expires_in: 28_800,
      refresh_token: "ghr_fullRunRefresh000000000000000001",
      refresh_token_expires_in: 15_897_600,
      token_type: "bearer",
      scope: "",
    },
  });
  github.on("GET /user", { body: { login: REQUESTER.login, id: REQUESTER.id, type: "User" } });
  github.on("POST /graphql", (req) => forward(req, "/graphql"));
  github.on("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", (req) =>
    forward(req, `${req.pathname}?${req.query}`),
  );

  harness.startIntake();
  harness.startPersona(
    await createRunStages({
      config: harness.config,
      auth: harness.auth,
      apiBaseUrl: github.apiBaseUrl,
      installationClient: (installationId) => harness.probot.auth(installationId),
    }),
  );
});

afterEach(async () => {
  expect(harness.github.violations).toEqual([]);
  await harness.close();
  await history.close();
  await llm.close();
});

const statusBodies = () =>
  harness.github
    .calls("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")
    .map((req) => (req.body as { body: string }).body);

it("reviews a pull request in the reviewer's style from a mention, end to end", async () => {
  const payload = issueCommentOnPullRequest({
    body: "@tech-lead-bot alice",
    login: REQUESTER.login,
  });
  payload.comment.user.id = REQUESTER.id;
  await deliverWebhook({ probot: harness.probot, name: "issue_comment", payload });

  const signInUrl = await eventually(() => {
    const url = statusBodies()
      .map((body) => /\[Sign in with GitHub\]\(([^)]+)\)/.exec(body)?.[1])
      .find(Boolean);
    expect(url).toBeDefined();
    return url as string;
  });
  const toGitHub = await fetch(signInUrl, { redirect: "manual" });
  const state = new URL(toGitHub.headers.get("location") ?? "").searchParams.get("state") ?? "";
  expect(new URL(toGitHub.headers.get("location") ?? "").searchParams.get("client_id")).toBe(
    TEST_CLIENT_ID,
  );
  expect(
    (await fetch(`${harness.httpOrigin}/oauth/callback?code=c&state=${encodeURIComponent(state)}`))
      .status,
  ).toBe(200);

  const [review] = await eventually(() => {
    const posted = harness.github.calls("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews");
    expect(posted).toHaveLength(1);
    return posted;
  }, 20_000);
  const body = review?.body as {
    event: string;
    body: string;
    commit_id: string;
    comments: { path: string; line: number; side: string; body: string }[];
  };
  expect(body.event).toBe("COMMENT");
  expect(body.commit_id).toBe(HEAD_SHA);
  expect(body.body).toMatch(/few-shot/i);
  expect(body.comments.length).toBeGreaterThan(0);
  const accepted = acceptableCommentLines(DIFF);
  for (const comment of body.comments) {
    expect(
      accepted.has(`${comment.path}:${comment.side}:${comment.line}`),
      `${comment.path}:${comment.side}:${comment.line}`,
    ).toBe(true);
    // The model said "@everyone": nobody may be pinged.
    expect(comment.body).not.toMatch(/(^|[^\u200d])@everyone/);
  }

  // History was read with the requester's token through GraphQL, in a handful of requests.
  const graphqlCalls = harness.github.calls("POST /graphql");
  expect(graphqlCalls.length).toBeGreaterThan(0);
  expect(graphqlCalls.length).toBeLessThan(10);
  expect(graphqlCalls.every((req) => String(req.headers.authorization).endsWith(USER_TOKEN))).toBe(
    true,
  );
  // Few-shot prompts carried the reviewer's own past comments.
  expect(llm.requests.some((request) => request.messages.length > 3)).toBe(true);

  // The status comment ends with the outcome and a link to the review.
  await eventually(() => expect(statusBodies().at(-1)).toContain("pullrequestreview-9"));
  // The scraped history is gone once the run has finished.
  await eventually(async () =>
    expect(await harness.redis.keys(`${harness.config.QUEUE_PREFIX}:history:*:comments`)).toEqual(
      [],
    ),
  );
});
