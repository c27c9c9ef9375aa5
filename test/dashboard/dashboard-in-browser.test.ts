/// <reference lib="dom" />
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Worker } from "bullmq";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFateStore } from "../../src/fates/fate-store.js";
import { loadReviewPrompts } from "../../src/review/load-review-prompts.js";
import type { RunStage } from "../../src/run/stage-contract.js";
import { startPushSummaryWorker } from "../../src/start/start-push-summary-worker.js";
import { recordAdapter } from "../../src/train/adapter-registry.js";
import { renderTrainingStatus } from "../../src/train/render-training-status.js";
import {
  type FakeOpenAiServer,
  startFakeOpenAiServer,
} from "../../support/llm/fake-openai-server.js";
import {
  deliverWebhook,
  eventually,
  issueCommentOnPullRequest,
  pushEvent,
} from "../../support/webhooks.js";
import { type FeedGitHubState, README_PATCH, stubFeedGitHub } from "../feed/stub-feed-github.js";
import { stubIntake } from "../support/stub-intake.js";
import { alice, type DashboardKit, OWNER, REPO, startDashboardKit } from "./start-dashboard-kit.js";

/** Debian's chromium; no browser download is possible here. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = "test/artifacts";
const HEAD_SHA = "1111111111111111111111111111111111111111";
const FIRST = "2222222222222222222222222222222222222222";
const SECOND = "3333333333333333333333333333333333333333";
const BASE = `/dashboard/${OWNER}/${REPO}`;

let kit: DashboardKit;
let llm: FakeOpenAiServer;
let pushWorker: Worker;
let browser: Browser;
let page: Page;
let profileDir: string;
let releaseTraining: () => void;
const trainingGate = new Promise<void>((resolve) => {
  releaseTraining = resolve;
});

beforeAll(async () => {
  const answers = [
    "Changes the README's description to mention a greeting.",
    "Adds a contributing guide and links it from the README.",
  ];
  llm = await startFakeOpenAiServer(() => ({ text: answers.shift() ?? "Updates the README." }));
  kit = await startDashboardKit({ LLM_BASE_URL: llm.baseUrl, LLM_MAX_RETRIES: "0" });
  const { harness } = kit;
  stubIntake(harness.github, { headSha: HEAD_SHA, statusCommentId: 321 });
  const feedGitHub: FeedGitHubState = {
    configYaml: "feed:\n  enabled: true\n",
    files: [{ filename: "README", status: "modified", patch: README_PATCH }],
  };
  stubFeedGitHub(harness.github, feedGitHub);
  pushWorker = await startPushSummaryWorker({
    config: harness.config,
    queueName: harness.names.pushSummaries,
    connection: harness.redis.duplicate(),
    redis: harness.redis,
    auth: (installationId) => harness.probot.auth(installationId),
    log: harness.probot.log,
  });
  profileDir = await mkdtemp(join(tmpdir(), "chromium-profile-"));
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profileDir}`,
    ],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1000, height: 800 });
}, 60_000);

afterAll(async () => {
  releaseTraining();
  await browser?.close();
  await pushWorker?.close();
  await kit?.close();
  await llm?.close();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
});

/** Screenshots of a page in light, dark and phone layouts, for people to look at. */
async function screenshot(name: string): Promise<void> {
  await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "light" }]);
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
  await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "dark" }]);
  await page.screenshot({ path: `${ARTIFACTS}/${name}-dark.png`, fullPage: true });
  await page.setViewport({ width: 390, height: 844, isMobile: true });
  await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "light" }]);
  await page.screenshot({ path: `${ARTIFACTS}/${name}-phone.png`, fullPage: true });
  await page.setViewport({ width: 1000, height: 800 });
}

const texts = (selector: string) =>
  page.$$eval(selector, (nodes) =>
    // innerText, not textContent: the text as a reader sees it, table cells apart.
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is asserted
    nodes.map((node) => (node as HTMLElement).innerText.replace(/\s+/g, " ").trim()),
  );

describe("the dashboard in a real browser", () => {
  it("signs in through GitHub's OAuth and shows the feed after two pushes, newest first", async () => {
    const { harness } = kit;
    await deliverWebhook({
      probot: harness.probot,
      name: "push",
      payload: pushEvent({
        before: HEAD_SHA,
        after: FIRST,
        pusher: "Codertocat",
        timestamp: "2026-11-29T09:15:00Z",
      }),
    });
    await eventually(async () => expect(llm.requests).toHaveLength(1));
    await deliverWebhook({
      probot: harness.probot,
      name: "push",
      payload: pushEvent({
        before: FIRST,
        after: SECOND,
        forced: true,
        pusher: "Codertocat",
        timestamp: "2026-11-29T10:40:00Z",
      }),
    });
    await eventually(async () => {
      const counts = await harness.pushQueue.getJobCounts("completed");
      expect(counts.completed).toBe(2);
    });

    kit.signInToGitHubAs(alice);
    const response = await page.goto(`${kit.origin}${BASE}/feed`, { waitUntil: "load" });
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`${kit.origin}${BASE}/feed`);
    expect(await texts("header.top .who")).toEqual(["@alice Sign out"]);
    const summaries = await texts(".entry .summary");
    expect(summaries).toEqual([
      "force-push Adds a contributing guide and links it from the README.",
      "Changes the README's description to mention a greeting.",
    ]);
    const links = await page.$$eval(".entry .meta a", (nodes) =>
      nodes.map((node) => (node as HTMLAnchorElement).href),
    );
    expect(links).toContain(`https://github.com/${OWNER}/${REPO}/compare/${FIRST}...${SECOND}`);
    expect(links).toContain(`https://github.com/${OWNER}/${REPO}/commit/${SECOND}`);
    expect((await texts(".entry .meta"))[0]).toMatch(
      /^@Codertocat pushed 1 commit to master · 2026-11-29 10:40 UTC/,
    );
    const cookies = await browser.cookies();
    const session = cookies.find((cookie) => cookie.name === "tlb_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(await page.evaluate(() => document.cookie)).not.toContain("tlb_session");
    await screenshot("dashboard-feed");
  });

  it("shows a run in progress on the runs page, with its stage and progress bar", async () => {
    const { harness } = kit;
    const collect: RunStage = {
      name: "collect-history",
      async run(context) {
        await context.status.show("📚 Collected 84 review comments by `alice`.", [
          "2 requests to GitHub.",
        ]);
        return { kind: "done" };
      },
    };
    const train: RunStage = {
      name: "train-or-reuse",
      async run(context) {
        const status = renderTrainingStatus({
          reviewerLogin: "alice",
          version: 2,
          progress: {
            phase: "training",
            step: 12,
            totalSteps: 40,
            loss: 1.23,
            tokensPerSecond: 850,
            etaSeconds: 95,
          },
        });
        await context.status.show(status.headline, status.details);
        await trainingGate;
        return { kind: "done" };
      },
    };
    harness.startIntake();
    harness.startPersona([collect, train]);
    const payload = issueCommentOnPullRequest({ body: "@tech-lead-bot alice", login: "octo-dev" });
    await deliverWebhook({ probot: harness.probot, name: "issue_comment", payload });

    await eventually(async () => {
      await page.goto(`${kit.origin}${BASE}/runs`, { waitUntil: "load" });
      expect(await texts(".run .badge")).toEqual(["running"]);
      expect((await texts(".run p"))[2]).toContain("Training");
    }, 20_000);
    const run = (await texts(".run"))[0] ?? "";
    expect(run).toMatch(/#1 in the style of alice running/);
    expect(run).toContain("Stage 2 of 2: train-or-reuse");
    expect(run).toContain("Training alice's adapter (v2): step 12 of 40.");
    expect(run).toContain("loss 1.23 · 850 learned tokens/s · about 2 min left");
    const bars = await page.$$eval(".run progress", (nodes) =>
      nodes.map((node) => [(node as HTMLProgressElement).value, (node as HTMLProgressElement).max]),
    );
    expect(bars).toEqual([
      [1, 2],
      [30, 100],
    ]);
    await screenshot("dashboard-runs");

    releaseTraining();
    await eventually(async () => {
      await page.goto(`${kit.origin}${BASE}/runs`, { waitUntil: "load" });
      expect(await texts(".run .badge")).toEqual(["finished"]);
    }, 20_000);
  });

  it("shows a trained persona: its adapter versions, last evaluation chart and figures, recent reviews", async () => {
    const { harness } = kit;
    const subject = { owner: OWNER, repo: REPO, reviewerLogin: "alice" };
    const registry = { redis: harness.redis, keyPrefix: harness.config.QUEUE_PREFIX, subject };
    await recordAdapter({
      ...registry,
      adapter: {
        adapterName: "codertocat-hello-world-alice-v1",
        version: 1,
        baseModel: harness.config.BASE_MODEL_NAME,
        trainedAt: "2026-11-20T08:00:00.000Z",
        examples: 61,
        steps: 30,
        trainSeconds: 412.5,
        scores: {},
      },
    });
    await recordAdapter({
      ...registry,
      adapter: {
        adapterName: "codertocat-hello-world-alice-v2",
        version: 2,
        baseModel: harness.config.BASE_MODEL_NAME,
        trainedAt: "2026-11-29T08:30:00.000Z",
        examples: 84,
        steps: 40,
        trainSeconds: 533,
        scores: {
          "adapter.comment_f1": 41.2,
          "adapter.comment_precision": 38.5,
          "adapter.comment_recall": 44.3,
          "adapter.embed_sim": 0.61,
          "adapter.embed_sim_floor": 0.32,
          "adapter.bleu": 6.1,
          "few-shot.comment_f1": 30.4,
          "few-shot.embed_sim": 0.52,
          "few-shot.embed_sim_floor": 0.32,
          "few-shot.bleu": 4.2,
        },
        evaluation: "holdout: comment-where F1 41.2% vs 30.4% few-shot, similarity 0.61 vs 0.52",
      },
    });

    // What people did with three of alice's comments, as the feedback stage records it.
    const fates = createFateStore({ redis: harness.redis, keyPrefix: harness.config.QUEUE_PREFIX });
    await fates.recordPosted(
      [1, 2, 3].map((index) => ({
        commentId: 9000 + index,
        owner: OWNER,
        repo: REPO,
        reviewerLogin: "alice",
        modelVersion: "v2",
        pullNumber: 1,
        reviewId: 77,
        path: "README",
        line: 2,
        side: "RIGHT" as const,
        commitId: HEAD_SHA,
        text: `Private remark number ${index} about the greeting`,
        hunk: "@@ -1,2 +1,2 @@\n # Hello-World\n-My first repository\n+My first repository, greeted",
        postedAt: "2026-11-29T09:00:00Z",
      })),
    );
    await fates.markAddressed(9001, "line changed");
    await fates.setThreadState(9002, { resolved: true });
    await fates.setReactions(9001, { THUMBS_UP: 2 });
    await fates.setReactions(9003, { THUMBS_DOWN: 1 });

    const response = await page.goto(`${kit.origin}${BASE}/personas`, { waitUntil: "load" });
    expect(response?.status()).toBe(200);
    expect(await texts(".persona h2")).toEqual(["In the style of alice"]);
    const intro = (await texts(".persona > p"))[0];
    expect(intro).toBe(
      `Adapter v2, trained 2026-11-29 08:30 UTC on 84 comments (base model ${harness.config.BASE_MODEL_NAME}).`,
    );
    const versionRows = await texts(".persona table.versions tbody tr");
    expect(versionRows).toEqual(["v2 2026-11-29 84 40 533 s", "v1 2026-11-20 61 30 413 s"]);
    expect(await page.$$eval(".chart svg rect.bar", (nodes) => nodes.length)).toBeGreaterThan(8);
    const evaluationRows = await texts(".persona table.scores tbody tr");
    expect(evaluationRows[0]).toBe("comment-where F1 (%) 41.2 30.4");
    expect(await texts(".persona ul.plain li")).toEqual([
      expect.stringMatching(/^#1 on 1111111 · 2026-/),
    ]);
    const reviewLink = await page.$eval(
      ".persona ul.plain a",
      (node) => (node as HTMLAnchorElement).href,
    );
    expect(reviewLink).toBe(`${harness.github.origin}/${OWNER}/${REPO}/pull/1`);
    expect(await texts(".persona .figures div")).toEqual([
      "3 comments posted",
      "1 addressed",
      "1 resolved",
      "2 👍 thumbs up",
      "1 👎 thumbs down",
    ]);
    // Figures only: no prompt, comment or hunk text reaches a page.
    const content = await page.content();
    expect(content).not.toContain("Private remark");
    expect(content).not.toContain("greeted");
    const templates = await loadReviewPrompts();
    for (const template of [templates.system, templates.hunk, templates.summary, templates.fewShot])
      expect(content).not.toContain(template.slice(0, 40));
    await screenshot("dashboard-personas");
    // Every request the bot made to the stand-in GitHub is one GitHub would accept.
    expect(harness.github.violations).toEqual([]);
  });

  it("signs out with its own Sign out button (the form carries its anti-forgery token)", async () => {
    await page.goto(`${kit.origin}/dashboard`, { waitUntil: "load" });
    await Promise.all([page.waitForNavigation(), page.click("header.top .who button")]);
    expect(await texts("main h1")).toEqual(["Signed out"]);
    const cookies = await browser.cookies();
    expect(cookies.find((cookie) => cookie.name === "tlb_session")).toBeUndefined();
  });
});
