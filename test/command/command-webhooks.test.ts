import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { personaJobSchema } from "../../jobs/persona-job.js";
import { type AppHarness, startAppHarness } from "../../support/app-harness.js";
import type { FakeGitHub } from "../../support/fake-github.js";
import {
  deliverWebhook,
  discussionComment,
  eventually,
  issueCommentOnIssue,
  issueCommentOnPullRequest,
  reviewComment,
  TEST_INSTALLATION_ID,
} from "../../support/webhooks.js";
import { liveMarkup } from "../support/live-markup.js";

const OWNER = "Codertocat";
const REPO = "Hello-World";
const HEAD_SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const REQUESTER = "octo-dev";

let harness: AppHarness;

/** GitHub's answers for a repository where `permission` is the requester's access. */
function stubRepository(
  github: FakeGitHub,
  permission: "admin" | "maintain" | "write" | "triage" | "read" | "none",
) {
  const legacy = {
    admin: "admin",
    maintain: "write",
    write: "write",
    triage: "read",
    read: "read",
    none: "none",
  }[permission];
  github.on("GET /repos/{owner}/{repo}/collaborators/{username}/permission", (req) => ({
    body: {
      permission: legacy,
      role_name: permission,
      user: { login: req.pathname.split("/")[5] },
    },
  }));
  // No .github/tech-lead-bot.yml: GitHub answers 404 and every persona is allowed.
  github.on("GET /repos/{owner}/{repo}/contents/{path}", {
    status: 404,
    body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" },
  });
  github.on("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
    status: 201,
    body: { id: 1, content: "eyes" },
  });
  github.on("POST /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions", {
    status: 201,
    body: { id: 2, content: "eyes" },
  });
  github.on("GET /repos/{owner}/{repo}/pulls/{pull_number}", (req) => ({
    body: {
      number: Number(req.pathname.split("/").pop()),
      html_url: `https://github.com/${OWNER}/${REPO}/pull/1`,
      head: { sha: HEAD_SHA, ref: "changes" },
    },
  }));
  let nextCommentId = 9000;
  const created = (req: { body: unknown }) => ({
    status: 201,
    body: {
      id: ++nextCommentId,
      html_url: `https://github.com/${OWNER}/${REPO}/pull/1#issuecomment-${nextCommentId}`,
      body: (req.body as { body: string }).body,
    },
  });
  github.on("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", created);
  github.on(
    "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies",
    created,
  );
}

/** Delivers a webhook, then lets the intake worker finish every queued command. */
async function deliverAndProcess(name: string, payload: unknown, deliveryId?: string) {
  await deliverWebhook({
    probot: harness.probot,
    name,
    payload,
    ...(deliveryId ? { deliveryId } : {}),
  });
  await eventually(async () => {
    const counts = await harness.commandQueue.getJobCounts("waiting", "active", "delayed");
    expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBe(0);
  });
}

const statusComments = () =>
  harness.github
    .calls("POST /repos/{owner}/{repo}/issues/{issue_number}/comments")
    .map((req) => (req.body as { body: string }).body)
    .filter((body) => body.startsWith("<!-- tech-lead-bot:status"));

const replies = () =>
  [
    ...harness.github.calls("POST /repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ...harness.github.calls(
      "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies",
    ),
  ]
    .map((req) => (req.body as { body: string }).body)
    .filter((body) => !body.startsWith("<!-- tech-lead-bot:status"));

beforeEach(async () => {
  harness = await startAppHarness();
  harness.startIntake();
});

afterEach(async () => {
  // Every request the bot sent must be one GitHub accepts (OpenAPI) and one this test expected.
  expect(harness.github.violations).toEqual([]);
  await harness.close();
});

describe("a review command on a pull request", () => {
  it("reacts 👀, posts one status comment with its marker, and queues a persona job with ids only", async () => {
    stubRepository(harness.github, "write");
    await deliverAndProcess(
      "issue_comment",
      issueCommentOnPullRequest({
        body: "@tech-lead-bot @alice --force-reload",
        login: REQUESTER,
        commentId: 501,
      }),
    );

    const reactions = harness.github.calls(
      "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
    );
    expect(reactions.map((r) => [r.pathname, r.body])).toEqual([
      [`/repos/${OWNER}/${REPO}/issues/comments/501/reactions`, { content: "eyes" }],
    ]);

    const [status, ...more] = statusComments();
    expect(more).toEqual([]);
    expect(status).toMatch(
      /^<!-- tech-lead-bot:status run=persona\/codertocat\/hello-world\/1\/[0-9a-f]{40}\/alice\/reload -->/,
    );
    expect(status).toContain(`@${REQUESTER}`);
    expect(status).toContain("`alice`");
    expect(status).not.toContain("@alice");

    const jobs = await harness.personaQueue.getJobs(["waiting"]);
    expect(jobs).toHaveLength(1);
    const job = jobs[0];
    expect(job?.id).toBe(`persona/codertocat/hello-world/1/${HEAD_SHA}/alice/reload`);
    expect(job?.id).not.toContain(":");
    expect(personaJobSchema.strict().parse(job?.data)).toEqual({
      installationId: TEST_INSTALLATION_ID,
      owner: OWNER,
      repo: REPO,
      pullNumber: 1,
      headSha: HEAD_SHA,
      requesterLogin: REQUESTER,
      // The user id from the real example payload: the token vault is keyed by it.
      requesterId: 21031067,
      reviewerLogin: "alice",
      forceReload: true,
      statusCommentId: 9001,
    });
    // The installation token the intake used must not travel with the job.
    expect(JSON.stringify(job?.data)).not.toContain("ghs_");
  });

  it.each(["admin", "maintain", "write"] as const)(
    "lets a user with %s permission start a run",
    async (permission) => {
      stubRepository(harness.github, permission);
      await deliverAndProcess(
        "issue_comment",
        issueCommentOnPullRequest({ body: "@tech-lead-bot alice", login: REQUESTER }),
      );
      expect(await harness.personaQueue.getJobCounts("waiting")).toEqual({ waiting: 1 });
    },
  );

  it.each(["triage", "read", "none"] as const)(
    "politely refuses a user with %s permission, saying who can",
    async (permission) => {
      stubRepository(harness.github, permission);
      await deliverAndProcess(
        "issue_comment",
        issueCommentOnPullRequest({ body: "@tech-lead-bot alice", login: REQUESTER }),
      );
      expect(replies()).toEqual([
        expect.stringMatching(
          new RegExp(
            `^@${REQUESTER} sorry, only people with write, maintain or admin permission on ${OWNER}/${REPO}`,
          ),
        ),
      ]);
      expect(statusComments()).toEqual([]);
      expect(
        harness.github.calls("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"),
      ).toEqual([]);
      expect(await harness.personaQueue.getJobCounts("waiting")).toEqual({ waiting: 0 });
    },
  );

  it("treats a user GitHub does not know as a collaborator (404) as having no permission", async () => {
    stubRepository(harness.github, "write");
    harness.github.on("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
      status: 404,
      body: { message: "Not Found" },
    });
    await deliverAndProcess(
      "issue_comment",
      issueCommentOnPullRequest({ body: "@tech-lead-bot alice", login: REQUESTER }),
    );
    expect(replies()).toEqual([
      expect.stringContaining("only people with write, maintain or admin permission"),
    ]);
  });

  it("starts exactly one run when GitHub redelivers the same webhook", async () => {
    stubRepository(harness.github, "write");
    const payload = issueCommentOnPullRequest({
      body: "@tech-lead-bot alice",
      login: REQUESTER,
      commentId: 777,
    });
    await deliverAndProcess("issue_comment", payload, "delivery-1");
    await deliverAndProcess("issue_comment", payload, "delivery-1");
    expect(statusComments()).toHaveLength(1);
    expect(await harness.personaQueue.getJobCounts("waiting")).toEqual({ waiting: 1 });
  });

  it("starts exactly one run when the same comment arrives in two deliveries", async () => {
    stubRepository(harness.github, "write");
    const payload = issueCommentOnPullRequest({
      body: "@tech-lead-bot alice",
      login: REQUESTER,
      commentId: 778,
    });
    await deliverAndProcess("issue_comment", payload, "delivery-a");
    await deliverAndProcess("issue_comment", payload, "delivery-b");
    expect(statusComments()).toHaveLength(1);
    expect(
      harness.github.calls("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"),
    ).toHaveLength(1);
  });

  it("does not start a second run for the same reviewer and commit while one is under way", async () => {
    stubRepository(harness.github, "write");
    await deliverAndProcess(
      "issue_comment",
      issueCommentOnPullRequest({ body: "@tech-lead-bot alice", login: REQUESTER }),
    );
    await deliverAndProcess(
      "issue_comment",
      issueCommentOnPullRequest({ body: "@tech-lead-bot ALICE", login: REQUESTER }),
    );
    expect(statusComments()).toHaveLength(1);
    expect(replies()).toEqual([
      expect.stringMatching(/is already under way: https:\/\/github.com\/.*#issuecomment-9001$/),
    ]);
  });

  it("answers in the review thread and reacts to a review comment", async () => {
    stubRepository(harness.github, "maintain");
    await deliverAndProcess(
      "pull_request_review_comment",
      reviewComment({ body: "@tech-lead-bot alice", login: REQUESTER, commentId: 31 }),
    );
    expect(
      harness.github
        .calls("POST /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions")
        .map((r) => r.pathname),
    ).toEqual([`/repos/${OWNER}/${REPO}/pulls/comments/31/reactions`]);
    expect(statusComments()).toHaveLength(1);
    expect(await harness.personaQueue.getJobCounts("waiting")).toEqual({ waiting: 1 });
  });
});

describe("comments that are not commands", () => {
  it.each([
    ["a bot", { body: "@tech-lead-bot alice", login: "dependabot[bot]", userType: "Bot" as const }],
    [
      "this app itself",
      { body: "@tech-lead-bot alice", login: "tech-lead-bot[bot]", userType: "Bot" as const },
    ],
    ["a mention inside a code span", { body: "run `@tech-lead-bot alice` to try it" }],
    ["a mention inside a fenced block", { body: "```\n@tech-lead-bot alice\n```" }],
    ["a quoted command", { body: "> @tech-lead-bot alice\nthat's how" }],
    ["a comment without a mention", { body: "LGTM" }],
  ])("ignores %s without calling GitHub", async (_label, options) => {
    stubRepository(harness.github, "write");
    await deliverAndProcess("issue_comment", issueCommentOnPullRequest(options));
    expect(harness.github.requests).toEqual([]);
    expect(await harness.commandQueue.count()).toBe(0);
  });

  it("ignores an edited comment", async () => {
    stubRepository(harness.github, "write");
    await deliverAndProcess(
      "issue_comment",
      issueCommentOnPullRequest({ body: "@tech-lead-bot alice", action: "edited" }),
    );
    expect(harness.github.requests).toEqual([]);
  });

  it("rejects a webhook whose signature does not match, and queues nothing", async () => {
    const payload = issueCommentOnPullRequest({ body: "@tech-lead-bot alice" });
    await expect(
      deliverWebhook({
        probot: harness.probot,
        name: "issue_comment",
        payload,
        secret: "wrong-secret",
      }),
    ).rejects.toThrow(/signature/i);
    expect(await harness.commandQueue.count()).toBe(0);
  });
});

describe("replies instead of runs", () => {
  it("answers a malformed command once, with the usage", async () => {
    stubRepository(harness.github, "write");
    await deliverAndProcess(
      "issue_comment",
      issueCommentOnPullRequest({ body: "@tech-lead-bot alice --dry-run", login: REQUESTER }),
    );
    expect(replies()).toEqual([
      expect.stringContaining(
        `@${REQUESTER} I could not read that command: unknown option \`--dry-run\``,
      ),
    ]);
    expect(replies()[0]).toContain("Usage: `@tech-lead-bot <login> [--force-reload]`");
    expect(statusComments()).toEqual([]);
  });

  it.each(["triage", "read", "none"] as const)(
    "does not answer a malformed command from a user with %s permission",
    async (permission) => {
      stubRepository(harness.github, permission);
      await deliverAndProcess(
        "issue_comment",
        issueCommentOnPullRequest({
          body: "@tech-lead-bot x`@octo-org/everyone",
          login: REQUESTER,
        }),
      );
      await deliverAndProcess(
        "issue_comment",
        issueCommentOnIssue({ body: "@tech-lead-bot alice", login: REQUESTER }),
      );
      expect(replies()).toEqual([]);
      expect(harness.github.requests.filter((req) => req.method !== "GET")).toEqual([
        expect.objectContaining({
          route: "POST /app/installations/{installation_id}/access_tokens",
        }),
      ]);
    },
  );

  it.each([
    "@tech-lead-bot x`@octo-org/everyone",
    "@tech-lead-bot alice --x`<img src=https://evil.example/p.png>`",
    "@tech-lead-bot [log in](https://evil.example/login) again",
  ])("quotes %j back inert", async (body) => {
    stubRepository(harness.github, "write");
    await deliverAndProcess("issue_comment", issueCommentOnPullRequest({ body, login: REQUESTER }));
    const [reply, ...more] = replies();
    expect(more).toEqual([]);
    expect(reply).toContain("I could not read that command");
    expect(liveMarkup(reply ?? "", [REQUESTER])).toEqual([]);
  });

  it("says it works on pull requests only when asked on a plain issue", async () => {
    stubRepository(harness.github, "write");
    await deliverAndProcess(
      "issue_comment",
      issueCommentOnIssue({ body: "@tech-lead-bot alice", login: REQUESTER }),
    );
    expect(replies()).toEqual([expect.stringContaining("I review pull requests only")]);
    expect(await harness.personaQueue.count()).toBe(0);
  });

  it("says it works on pull requests only when asked in a discussion, through GraphQL", async () => {
    stubRepository(harness.github, "write");
    harness.github.on("POST /graphql", {
      body: { data: { addDiscussionComment: { comment: { id: "DC_1" } } } },
    });
    const payload = discussionComment({ body: "@tech-lead-bot alice", login: REQUESTER });
    await deliverAndProcess("discussion_comment", payload);
    const [mutation] = harness.github.calls("POST /graphql");
    const sent = mutation?.body as { query: string; variables: Record<string, unknown> };
    expect(sent.query).toContain("addDiscussionComment");
    expect(sent.variables).toMatchObject({
      discussionId: (payload.discussion as { node_id: string }).node_id,
      replyToId: payload.comment.node_id,
      body: expect.stringContaining("I review pull requests only"),
    });
  });
});
