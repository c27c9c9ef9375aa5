import { Queue } from "bullmq";
import { expect } from "vitest";
import { createRunStages } from "../../../src/start/create-run-stages.js";
import { startPickupCheckWorker } from "../../../src/start/start-workers.js";
import { type AppHarness, startAppHarness } from "../../../support/app-harness.js";
import { captureLog } from "../../../support/capture-log.js";
import { cookiesOf } from "../../../support/cookies.js";
import type { RecordedRequest } from "../../../support/fake-github.js";
import {
  forwardHistoryRequests,
  type GithubStandIn,
  startGithubStandIn,
} from "../../../support/history/github-stand-in.js";
import { seedRepository } from "../../../support/history/seed-repository.js";
import {
  type FakeLlmHandler,
  type FakeOpenAiServer,
  startFakeOpenAiServer,
} from "../../../support/llm/fake-openai-server.js";
import {
  deliverWebhook,
  eventually,
  issueCommentOnPullRequest,
} from "../../../support/webhooks.js";

export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const HEAD_SHA = "2222222222222222222222222222222222222222";
export const REQUESTER = { login: "octo-dev", id: 583231 };
export const USER_TOKEN = "ghu_fullRunRequesterToken0000000000001";

/** A whole persona run wired as the real processes wire it, against stand-ins. */
export interface FullRunKit {
  harness: AppHarness;
  history: GithubStandIn;
  llm: FakeOpenAiServer;
  /** Delivers a signed `issue_comment` on PR #1 from the requester. */
  mention(body: string): Promise<void>;
  /** Follows the sign-in link the run posts, as the requester's browser would. */
  signIn(): Promise<void>;
  /** Bodies of the status comment's edits, oldest first. */
  statusBodies(): string[];
  /** Review POSTs the bot sent. */
  reviews(): RecordedRequest[];
  close(): Promise<void>;
}

/** Reviewer `alice` has 40 comments on 12 PRs; everyone else has none. */
export async function startFullRun(params: {
  diff: string;
  llm: FakeLlmHandler;
  repoConfigYaml?: string;
  env?: Record<string, string>;
  /** Wire the train-or-reuse stage and its pickup checks, as `npm run worker` does. */
  training?: boolean;
}): Promise<FullRunKit> {
  const history = await startGithubStandIn({
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
  const llm = await startFakeOpenAiServer(params.llm);
  const harness = await startAppHarness({
    LLM_BASE_URL: llm.baseUrl,
    LLM_MAX_RETRIES: "0",
    STATUS_UPDATE_INTERVAL_MS: "1000",
    // No file listings kept, so no where-model fit (a python child, seconds to a minute on a
    // busy machine) in runs that test other things; where-model-run.test.ts turns it on.
    WHERE_MAX_PRS: "0",
    ...params.env,
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
      ? {
          headers: { "content-type": "application/vnd.github.diff; charset=utf-8" },
          body: params.diff,
        }
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
  github.on("GET /repos/{owner}/{repo}/contents/{path}", (req) =>
    params.repoConfigYaml === undefined || !req.pathname.startsWith(`/repos/${OWNER}/${REPO}/`)
      ? { status: 404, body: { message: "Not Found" } }
      : {
          headers: { "content-type": "application/vnd.github.raw; charset=utf-8" },
          body: params.repoConfigYaml,
        },
  );
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
  // The history stand-in plays GitHub's GraphQL and file lists.
  forwardHistoryRequests(github, history);

  const closeTraining: (() => Promise<unknown>)[] = [];
  let training: { trainQueue: Queue; pickupQueue: Queue } | undefined;
  if (params.training) {
    const { names, redis, config } = harness;
    const pickupQueue = new Queue(names.trainPickupChecks, {
      connection: redis,
      prefix: config.QUEUE_PREFIX,
    });
    const pickupWorker = startPickupCheckWorker({
      config,
      queueName: names.trainPickupChecks,
      connection: redis.duplicate(),
      redis,
      trainQueue: harness.trainQueue,
      personaQueue: harness.personaQueue,
      log: captureLog().log,
    });
    closeTraining.push(
      () => pickupWorker.close(),
      () => pickupQueue.close(),
    );
    training = { trainQueue: harness.trainQueue, pickupQueue };
  }
  harness.startIntake();
  harness.startPersona(
    await createRunStages({
      config: harness.config,
      auth: harness.auth,
      apiBaseUrl: github.apiBaseUrl,
      installationClient: (installationId) => harness.probot.auth(installationId),
      ...(training ? { training } : {}),
    }),
  );

  const statusBodies = () =>
    github
      .calls("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")
      .map((req) => (req.body as { body: string }).body);
  return {
    harness,
    history,
    llm,
    async mention(body) {
      const payload = issueCommentOnPullRequest({ body, login: REQUESTER.login });
      payload.comment.user.id = REQUESTER.id;
      await deliverWebhook({ probot: harness.probot, name: "issue_comment", payload });
    },
    async signIn() {
      const signInUrl = await eventually(() => {
        const url = statusBodies()
          .map((body) => /\[Sign in with GitHub\]\(([^)]+)\)/.exec(body)?.[1])
          .find(Boolean);
        expect(url).toBeDefined();
        return url as string;
      });
      const toGitHub = await fetch(signInUrl, { redirect: "manual" });
      const location = new URL(toGitHub.headers.get("location") ?? "");
      const state = location.searchParams.get("state") ?? "";
      const callback = await fetch(
        `${harness.httpOrigin}/oauth/callback?code=c&state=${encodeURIComponent(state)}`,
        { headers: { cookie: cookiesOf(toGitHub) } },
      );
      expect(callback.status).toBe(200);
    },
    statusBodies,
    reviews: () => github.calls("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews"),
    async close() {
      for (const close of closeTraining) await close();
      await harness.close();
      await history.close();
      await llm.close();
    },
  };
}
