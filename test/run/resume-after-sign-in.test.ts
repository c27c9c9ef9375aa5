import { afterEach, beforeEach, expect, it } from "vitest";
import type { RunStage } from "../../src/run/stage-contract.js";
import { createAuthoriseStage } from "../../src/run/stages/authorise-stage.js";
import {
  type AppHarness,
  startAppHarness,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
} from "../../support/app-harness.js";
import { cookiesOf } from "../../support/cookies.js";
import { deliverWebhook, eventually, issueCommentOnPullRequest } from "../../support/webhooks.js";
import { readEveryValue } from "../support/read-every-value.js";
import { stubIntake } from "../support/stub-intake.js";

const HEAD_SHA = "1111111111111111111111111111111111111111";
const REQUESTER = { login: "octo-dev", id: 583231 };
const USER_TOKEN = "ghu_requesterAccessToken000000000001";
const REFRESH_TOKEN = "ghr_requesterRefreshToken00000000000001";

let harness: AppHarness;
let tokensSeenByLaterStages: string[];

beforeEach(async () => {
  harness = await startAppHarness();
  tokensSeenByLaterStages = [];
  const { github } = harness;
  stubIntake(github, { headSha: HEAD_SHA, statusCommentId: 321 });
  // GitHub's OAuth token exchange and the signed-in user, as a GHE host serves them.
  github.on("POST /login/oauth/access_token", (req) => {
    const body = req.body as Record<string, string>;
    if (
      body.client_id !== TEST_CLIENT_ID ||
      body.client_secret !== TEST_CLIENT_SECRET ||
      body.code !== "code-from-github"
    ) {
      return { body: { error: "bad_verification_code" } };
    }
    return {
      body: {
        access_token: USER_TOKEN,
        expires_in: 28_800,
        refresh_token: REFRESH_TOKEN,
        refresh_token_expires_in: 15_897_600,
        token_type: "bearer",
        scope: "",
      },
    };
  });
  github.on("GET /user", (req) =>
    req.headers.authorization?.endsWith(USER_TOKEN)
      ? { body: { login: REQUESTER.login, id: REQUESTER.id, type: "User" } }
      : { status: 401, body: { message: "Bad credentials" } },
  );
  const recordToken: RunStage = {
    name: "record-token",
    async run(context) {
      tokensSeenByLaterStages.push(context.session.requesterToken ?? "none");
      return { kind: "done" };
    },
  };
  harness.startIntake();
  harness.startPersona([
    createAuthoriseStage({
      auth: harness.auth,
      keyPrefix: harness.config.QUEUE_PREFIX,
      linkTtlSeconds: harness.config.OAUTH_STATE_TTL_SECONDS,
    }),
    recordToken,
  ]);
});

afterEach(async () => {
  expect(harness.github.violations).toEqual([]);
  await harness.close();
});

const lastStatus = () => {
  const edits = harness.github.calls("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}");
  return (edits.at(-1)?.body as { body: string } | undefined)?.body ?? "";
};

it("asks the requester to sign in, then resumes the run by itself after the OAuth callback", async () => {
  const payload = issueCommentOnPullRequest({
    body: "@tech-lead-bot alice",
    login: REQUESTER.login,
  });
  payload.comment.user.id = REQUESTER.id;
  await deliverWebhook({ probot: harness.probot, name: "issue_comment", payload });

  const signInUrl = await eventually(() => {
    const link = /\[Sign in with GitHub\]\((?<url>[^)]+)\)/.exec(lastStatus())?.groups?.url;
    expect(link).toBeDefined();
    return link as string;
  });
  expect(lastStatus()).toContain(`@${REQUESTER.login}`);
  expect(signInUrl.startsWith(`${harness.httpOrigin}/oauth/login?state=`)).toBe(true);
  expect(tokensSeenByLaterStages).toEqual([]);

  // The requester opens the link: the bot sends them to GitHub's authorize page on the GHE host.
  const toGitHub = await fetch(signInUrl, { redirect: "manual" });
  expect(toGitHub.status).toBe(302);
  const authorize = new URL(toGitHub.headers.get("location") ?? "");
  expect(`${authorize.origin}${authorize.pathname}`).toBe(
    `${harness.github.origin}/login/oauth/authorize`,
  );
  const state = authorize.searchParams.get("state") ?? "";

  // GitHub sends them back with a code, to the browser that opened the link (its cookie).
  const callback = await fetch(
    `${harness.httpOrigin}/oauth/callback?code=code-from-github&state=${encodeURIComponent(state)}`,
    { headers: { cookie: cookiesOf(toGitHub) } },
  );
  const page = await callback.text();
  expect(callback.status).toBe(200);
  expect(page).not.toContain(USER_TOKEN);

  // The parked run resumes without a second mention, and later stages get the token in memory.
  await eventually(() => expect(tokensSeenByLaterStages).toEqual([USER_TOKEN]));
  expect(
    harness.github.calls("POST /repos/{owner}/{repo}/issues/{issue_number}/comments"),
  ).toHaveLength(1);

  // Nothing in Redis or the logs holds the token in clear text.
  const stored = (await readEveryValue(harness.redis, `${harness.config.QUEUE_PREFIX}:*`)).join(
    "\n",
  );
  expect(stored).not.toContain(USER_TOKEN);
  expect(stored).not.toContain(REFRESH_TOKEN);
  expect(harness.logLines.join("\n")).not.toContain(USER_TOKEN);

  // A second mention by the same requester needs no sign-in.
  const second = issueCommentOnPullRequest({ body: "@tech-lead-bot bob", login: REQUESTER.login });
  second.comment.user.id = REQUESTER.id;
  await deliverWebhook({ probot: harness.probot, name: "issue_comment", payload: second });
  await eventually(() => expect(tokensSeenByLaterStages).toEqual([USER_TOKEN, USER_TOKEN]));
});
