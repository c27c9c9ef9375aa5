import type { Worker } from "bullmq";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listFeedEntries } from "../../src/feed/feed-store.js";
import { startPushSummaryWorker } from "../../src/start/start-push-summary-worker.js";
import { type AppHarness, startAppHarness } from "../../support/app-harness.js";
import {
  type FakeOpenAiServer,
  startFakeOpenAiServer,
} from "../../support/llm/fake-openai-server.js";
import { deliverWebhook, eventually, pushEvent } from "../../support/webhooks.js";
import { type FeedGitHubState, README_PATCH, stubFeedGitHub, WEB } from "./stub-feed-github.js";

const BEFORE = "a".repeat(40);
const AFTER = "b".repeat(40);
const SECOND = "c".repeat(40);
const MODEL_LINE = "Changes the README's description to mention a greeting.";

let harness: AppHarness;
let llm: FakeOpenAiServer;
let worker: Worker;
let github: FeedGitHubState;

beforeEach(async () => {
  llm = await startFakeOpenAiServer(() => ({ text: MODEL_LINE }));
  harness = await startAppHarness({ LLM_BASE_URL: llm.baseUrl, LLM_MAX_RETRIES: "0" });
  github = {
    configYaml: "feed:\n  enabled: true\n",
    files: [{ filename: "README", status: "modified", patch: README_PATCH }],
  };
  stubFeedGitHub(harness.github, github);
  worker = await startPushSummaryWorker({
    config: harness.config,
    queueName: harness.names.pushSummaries,
    connection: harness.redis.duplicate(),
    redis: harness.redis,
    auth: (installationId) => harness.probot.auth(installationId),
    log: harness.probot.log,
  });
});

afterEach(async () => {
  await worker.close();
  await harness.close();
  await llm.close();
});

const feed = () =>
  listFeedEntries({
    redis: harness.redis,
    keyPrefix: harness.config.QUEUE_PREFIX,
    owner: "Codertocat",
    repo: "Hello-World",
    page: 1,
    pageSize: 50,
  });
const jobCount = async () => {
  const counts = await harness.pushQueue.getJobCounts("waiting", "active", "completed", "failed");
  return (
    (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.completed ?? 0) + (counts.failed ?? 0)
  );
};
const settled = () =>
  eventually(async () => {
    const counts = await harness.pushQueue.getJobCounts("waiting", "active", "delayed");
    expect((counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0)).toBe(0);
  });

describe("push webhooks", () => {
  it("summarises a push to the default branch once, with the base model and the summary prompt", async () => {
    await deliverWebhook({
      probot: harness.probot,
      name: "push",
      payload: pushEvent({ before: BEFORE, after: AFTER, commits: [AFTER], pusher: "Codertocat" }),
    });
    expect(await jobCount()).toBe(1);
    const { entries } = await eventually(async () => {
      const page = await feed();
      expect(page.total).toBe(1);
      return page;
    });
    const [entry] = entries;
    expect(entry).toMatchObject({
      summary: MODEL_LINE,
      summarySource: "model",
      pusherLogin: "Codertocat",
      branch: "master",
      forced: false,
      compareUrl: `${WEB}/Codertocat/Hello-World/compare/${BEFORE}...${AFTER}`,
      commits: [{ sha: AFTER, url: `${WEB}/Codertocat/Hello-World/commit/${AFTER}` }],
    });
    expect(llm.requests).toHaveLength(1);
    const [request] = llm.requests;
    expect(request?.model).toBe(harness.config.BASE_MODEL_NAME);
    expect(request?.messages[0]?.content).toMatch(/neutral summary of what a pull request changes/);
    expect(request?.messages[1]?.content).toContain("README (+1 −1)");
    expect(harness.github.violations).toEqual([]);
  });

  it("keeps one entry when GitHub redelivers the push, under the same or a new delivery id", async () => {
    const payload = pushEvent({ before: BEFORE, after: AFTER });
    await deliverWebhook({ probot: harness.probot, name: "push", payload, deliveryId: "d-1" });
    await deliverWebhook({ probot: harness.probot, name: "push", payload, deliveryId: "d-1" });
    await settled();
    await deliverWebhook({ probot: harness.probot, name: "push", payload, deliveryId: "d-2" });
    await settled();
    expect(await jobCount()).toBe(1);
    expect((await feed()).total).toBe(1);
    expect(llm.requests).toHaveLength(1);
  });

  it("queues nothing for a deleted branch", async () => {
    await deliverWebhook({
      probot: harness.probot,
      name: "push",
      payload: pushEvent({ branch: "old-work", before: AFTER, deleted: true }),
    });
    expect(await jobCount()).toBe(0);
  });

  it("summarises nothing for another branch unless the config lists it", async () => {
    await deliverWebhook({
      probot: harness.probot,
      name: "push",
      payload: pushEvent({ branch: "feature", before: BEFORE, after: AFTER }),
    });
    await settled();
    expect((await feed()).total).toBe(0);
    expect(llm.requests).toHaveLength(0);
    expect(harness.github.calls("GET /repos/{owner}/{repo}/compare/{basehead}")).toHaveLength(0);

    github.configYaml = "feed:\n  enabled: true\n  branches: [feature]\n";
    await deliverWebhook({
      probot: harness.probot,
      name: "push",
      payload: pushEvent({ branch: "feature", before: AFTER, after: SECOND }),
    });
    await eventually(async () => expect((await feed()).entries[0]?.branch).toBe("feature"));
  });

  it("summarises nothing while the repository has not turned the feed on", async () => {
    github.configYaml = undefined;
    await deliverWebhook({
      probot: harness.probot,
      name: "push",
      payload: pushEvent({ before: BEFORE, after: AFTER }),
    });
    await settled();
    expect((await feed()).total).toBe(0);
    expect(llm.requests).toHaveLength(0);
  });

  it("says a force-push is one, and keeps a long answer within 280 characters", async () => {
    llm.setHandler(() => ({ text: `${"Rewrites the greeting in the README again ".repeat(12)}.` }));
    await deliverWebhook({
      probot: harness.probot,
      name: "push",
      payload: pushEvent({ before: BEFORE, after: AFTER, forced: true }),
    });
    const { entries } = await eventually(async () => {
      const page = await feed();
      expect(page.total).toBe(1);
      return page;
    });
    expect(entries[0]?.summary).toMatch(/^Force-push: Rewrites the greeting/);
    expect(entries[0]?.summary.length).toBeLessThanOrEqual(280);
    expect(entries[0]?.forced).toBe(true);
  });

  it("summarises a large push from its stats and first hunks within the prompt budget", async () => {
    github.files = Array.from({ length: 300 }, (_, index) => ({
      filename: `src/generated/module-${index}.ts`,
      status: "modified",
      patch: `@@ -1,2 +1,2 @@\n export const id = ${index};\n-export const name = "old-${index}";\n+export const name = "new-${index}";\n`,
    }));
    await deliverWebhook({
      probot: harness.probot,
      name: "push",
      payload: pushEvent({ before: BEFORE, after: AFTER }),
    });
    await eventually(async () => expect((await feed()).total).toBe(1));
    const userTurn = llm.requests[0]?.messages[1]?.content ?? "";
    expect(userTurn).toContain("src/generated/module-0.ts (+1 −1)");
    expect(userTurn).toContain('+export const name = "new-0";');
    expect(userTurn).not.toContain("module-299.ts");
    expect(userTurn.length).toBeLessThanOrEqual(harness.config.LLM_MAX_HUNK_CHARS + 200);
  });

  it("falls back to a line built from the diff stats when the model fails", async () => {
    llm.setHandler(() => ({ status: 500, message: "model down" }));
    await deliverWebhook({
      probot: harness.probot,
      name: "push",
      payload: pushEvent({ before: BEFORE, after: AFTER }),
    });
    const { entries } = await eventually(async () => {
      const page = await feed();
      expect(page.total).toBe(1);
      return page;
    });
    expect(entries[0]?.summarySource).toBe("counts");
    expect(entries[0]?.summary).toMatch(/1 file/);
  });
});
