import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Queue } from "bullmq";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTrainWorker } from "../../src/start/start-train-worker.js";
import { getCurrentAdapter, recordAdapter } from "../../src/train/adapter-registry.js";
import { type TrainerHostConfig, trainConfigSchema } from "../../src/train/train-config.js";
import { type AppHarness, startAppHarness } from "../../support/app-harness.js";
import type { FakeGitHub } from "../../support/fake-github.js";
import {
  deliverWebhook,
  eventually,
  issueCommentOnIssue,
  issueCommentOnPullRequest,
} from "../../support/webhooks.js";

const OWNER = "Codertocat";
const REPO = "Hello-World";
const HEAD_SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

let harness: AppHarness;
let trainQueue: Queue;
let prefix: string;

type Role = "admin" | "write" | "read";

function stubGitHub(github: FakeGitHub, roles: Record<string, Role>, configYaml?: string) {
  github.on("GET /repos/{owner}/{repo}/collaborators/{username}/permission", (req) => {
    const login = req.pathname.split("/")[5] ?? "";
    const role = roles[login];
    if (!role) return { status: 404, body: { message: "Not Found" } };
    return { body: { permission: role, role_name: role, user: { login } } };
  });
  // Probot's config loader asks for the raw file; the owner's .github repository has none.
  github.on("GET /repos/{owner}/{repo}/contents/{path}", (req) =>
    configYaml === undefined || !req.pathname.startsWith("/repos/Codertocat/Hello-World/")
      ? { status: 404, body: { message: "Not Found" } }
      : {
          headers: { "content-type": "application/vnd.github.raw; charset=utf-8" },
          body: configYaml,
        },
  );
  github.on("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
    status: 201,
    body: { id: 1, content: "eyes" },
  });
  github.on("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
    body: { number: 1, html_url: "https://github.com/pull/1", head: { sha: HEAD_SHA } },
  });
  let nextId = 7000;
  github.on("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", (req) => ({
    status: 201,
    body: {
      id: ++nextId,
      html_url: "https://github.com/c",
      body: (req.body as { body: string }).body,
    },
  }));
}

const replies = () =>
  harness.github
    .calls("POST /repos/{owner}/{repo}/issues/{issue_number}/comments")
    .map((req) => (req.body as { body: string }).body)
    .filter((body) => !body.startsWith("<!-- tech-lead-bot:status"));

async function comment(body: string, login: string, onIssue = false) {
  const payload = onIssue
    ? issueCommentOnIssue({ body, login })
    : issueCommentOnPullRequest({ body, login });
  await deliverWebhook({ probot: harness.probot, name: "issue_comment", payload });
  await eventually(async () => {
    const counts = await harness.commandQueue.getJobCounts("waiting", "active", "delayed");
    expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBe(0);
  });
}

const subject = (reviewerLogin: string, repo = REPO) => ({ owner: OWNER, repo, reviewerLogin });

async function seedAdapter(reviewerLogin: string, version: number, repo = REPO) {
  await recordAdapter({
    redis: harness.redis,
    keyPrefix: prefix,
    subject: subject(reviewerLogin, repo),
    adapter: {
      adapterName: `${OWNER}-${repo}-${reviewerLogin}-v${version}`.toLowerCase(),
      version,
      baseModel: "meta-llama/Meta-Llama-3-8B-Instruct",
      trainedAt: new Date().toISOString(),
      examples: 50,
      steps: 10,
      trainSeconds: 60,
      scores: {},
    },
  });
}

beforeEach(async () => {
  harness = await startAppHarness();
  prefix = harness.config.QUEUE_PREFIX;
  trainQueue = harness.trainQueue;
  harness.startIntake();
});

afterEach(async () => {
  expect(harness.github.violations).toEqual([]);
  await harness.close();
});

describe("@tech-lead-bot forget <login>", () => {
  it("lets the reviewer forget themself: registry, cached history and adapter files go, others stay", async () => {
    stubGitHub(harness.github, { alice: "read" });
    await seedAdapter("alice", 1);
    await seedAdapter("alice", 2);
    await seedAdapter("bob", 1);
    await seedAdapter("alice", 1, "other-repo");
    const aliceHistory = `${prefix}:history:{codertocat/hello-world/alice}`;
    await harness.redis.set(`${aliceHistory}:train`, '{"messages":[]}');
    await harness.redis.set(`${aliceHistory}:comments`, "[]");
    await harness.redis.set(`${prefix}:history-stats:{codertocat/hello-world/alice}`, "{}");
    await harness.redis.set(`${prefix}:history:{codertocat/hello-world/bob}:train`, "{}");

    await comment("@tech-lead-bot forget alice", "alice", true);

    const [reply] = replies();
    expect(reply).toContain("@alice done: I forgot `alice` in Codertocat/Hello-World");
    expect(reply).toContain("`codertocat-hello-world-alice-v1`, `codertocat-hello-world-alice-v2`");
    expect(reply).toContain("collected review history is deleted");
    const registry = (reviewer: string, repo = REPO) =>
      getCurrentAdapter({
        redis: harness.redis,
        keyPrefix: prefix,
        subject: subject(reviewer, repo),
      });
    expect(await registry("alice")).toBeUndefined();
    expect((await registry("bob"))?.adapterName).toBe("codertocat-hello-world-bob-v1");
    expect((await registry("alice", "other-repo"))?.adapterName).toBe(
      "codertocat-other-repo-alice-v1",
    );
    expect(await harness.redis.keys(`${aliceHistory}:*`)).toEqual([]);
    expect(
      await harness.redis.exists(`${prefix}:history-stats:{codertocat/hello-world/alice}`),
    ).toBe(0);
    expect(await harness.redis.exists(`${prefix}:history:{codertocat/hello-world/bob}:train`)).toBe(
      1,
    );

    // The GPU host deletes the directories: only it sees ADAPTERS_DIR.
    const adaptersDir = await mkdtemp(join(tmpdir(), "adapters-"));
    for (const name of [
      "codertocat-hello-world-alice-v1",
      "codertocat-hello-world-alice-v2",
      ".codertocat-hello-world-alice-v2.partial-1234",
      "codertocat-hello-world-bob-v1",
    ]) {
      await mkdir(join(adaptersDir, name));
      await writeFile(join(adaptersDir, name, "adapter_config.json"), "{}");
    }
    const trainer = startTrainWorker({
      queueName: harness.names.trainAdapters,
      queuePrefix: prefix,
      connection: harness.redis.duplicate(),
      redis: harness.redis,
      personaQueue: harness.personaQueue,
      config: trainConfigSchema.parse({
        ADAPTERS_DIR: adaptersDir,
        BASE_MODEL_DIR: "/models/x",
      }) as TrainerHostConfig,
      log: (await import("../../support/capture-log.js")).captureLog().log,
    });
    try {
      await eventually(async () =>
        expect(await readdir(adaptersDir)).toEqual(["codertocat-hello-world-bob-v1"]),
      );
    } finally {
      await trainer.close();
      await rm(adaptersDir, { recursive: true, force: true });
    }
  });

  it("lets a repository admin forget someone else", async () => {
    stubGitHub(harness.github, { "repo-admin": "admin" });
    await seedAdapter("alice", 1);
    await comment("@tech-lead-bot forget alice", "repo-admin");
    expect(replies()[0]).toContain("I forgot `alice`");
    expect(
      await getCurrentAdapter({
        redis: harness.redis,
        keyPrefix: prefix,
        subject: subject("alice"),
      }),
    ).toBeUndefined();
    expect(await trainQueue.getJobCounts("waiting", "prioritized")).toMatchObject({
      prioritized: 1,
    });
  });

  it("refuses anyone else, even with write access, and deletes nothing", async () => {
    stubGitHub(harness.github, { mallory: "write" });
    await seedAdapter("alice", 1);
    await comment("@tech-lead-bot forget alice", "mallory");
    expect(replies()).toEqual([
      expect.stringContaining("only `alice` themself or an admin of Codertocat/Hello-World"),
    ]);
    expect(
      await getCurrentAdapter({
        redis: harness.redis,
        keyPrefix: prefix,
        subject: subject("alice"),
      }),
    ).toBeDefined();
    expect(await trainQueue.count()).toBe(0);
  });
});

describe(".github/tech-lead-bot.yml", () => {
  const runsQueued = async () => (await harness.personaQueue.getJobCounts("waiting")).waiting;

  it.each([
    [
      "personas:\n  deny: [Alice, bob]\n",
      /does not allow reviews in `alice`'s style \(`personas.deny`/,
    ],
    [
      "enabled: false\nreview:\n  max_comments: 5\n",
      /persona reviews are turned off in this repository/,
    ],
    [
      "personas: [oops",
      /tech-lead-bot.yml in Codertocat\/Hello-World is not valid YAML[\s\S]*fix it and ask again/,
    ],
    [
      "personas:\n  deny: alice\n",
      /`personas.deny`: `personas.deny` must be a list.*fix it and ask again/,
    ],
  ])("refuses a run when the file says %j", async (yaml, reason) => {
    stubGitHub(harness.github, { "octo-dev": "write" }, yaml);
    await comment("@tech-lead-bot alice", "octo-dev");
    expect(replies()).toEqual([expect.stringMatching(reason)]);
    expect(await runsQueued()).toBe(0);
  });

  it("allows reviewers the file does not deny, and keeps keys other stages own", async () => {
    stubGitHub(
      harness.github,
      { "octo-dev": "write" },
      "personas:\n  deny: [bob]\nreview:\n  ignore: [docs/**]\n",
    );
    await comment("@tech-lead-bot alice", "octo-dev");
    expect(replies()).toEqual([]);
    expect(await runsQueued()).toBe(1);
  });
});
