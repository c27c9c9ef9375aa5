/// <reference lib="dom" />
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Worker } from "bullmq";
import puppeteer from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backportsSchedulerId } from "../../jobs/backports-job.js";
import { loadBackportsReport } from "../../src/backports/backports-report-store.js";
import { BACKPORTS_REPORT_CSP } from "../../src/dashboard/send-backports-report.js";
import { startBackportsWorker } from "../../src/start/start-backports-worker.js";
import { type GitHttpServer, startGitHttpServer } from "../../support/git-http-server.js";
import { deliverWebhook, eventually, pushEvent } from "../../support/webhooks.js";
import {
  alice,
  CookieJar,
  type DashboardKit,
  mallory,
  OWNER,
  REPO,
  startDashboardKit,
} from "../dashboard/start-dashboard-kit.js";
import { type BackportHistory, buildBackportHistory } from "./support/make-git-repo.js";

/** The installation token the stand-in GitHub issues (support/fake-github.ts). */
const INSTALLATION_TOKEN = "ghs_fakeinstallationtoken";
const STABLE = "release-1.1";
const SCHEDULER = backportsSchedulerId({ owner: OWNER, repo: REPO, stable: STABLE });

let kit: DashboardKit;
let history: BackportHistory;
let gitServer: GitHttpServer;
let worker: Worker;
let scratch: string;
let bareDir: string;
let configYaml = `backports:\n  stable: ["${STABLE}"]\n  schedule: "0 5 * * 1"\n`;

/** A push to the default branch, as GitHub (Enterprise) sends it: clone_url on its git host. */
function pushToMaster(after: string): Record<string, unknown> {
  const payload = pushEvent({ branch: "master", after }) as { repository: Record<string, unknown> };
  payload.repository.clone_url = `${gitServer.origin}/${OWNER}/${REPO}.git`;
  return payload;
}

const report = () =>
  loadBackportsReport({
    redis: kit.harness.redis,
    keyPrefix: kit.harness.config.QUEUE_PREFIX,
    owner: OWNER,
    repo: REPO,
    stable: STABLE,
  });

beforeAll(async () => {
  kit = await startDashboardKit();
  history = await buildBackportHistory({ newCommitCount: 4 });
  scratch = await mkdtemp(join(tmpdir(), "backports-scheduled-"));
  // The stand-in's git host serves a bare copy whose default branch is master, as the payload says.
  bareDir = join(scratch, "git", OWNER, `${REPO}.git`);
  execFileSync("git", ["clone", "-q", "--bare", history.repo.dir, bareDir]);
  execFileSync("git", ["-C", bareDir, "branch", "-m", "main", "master"]);
  gitServer = await startGitHttpServer({ root: join(scratch, "git"), token: INSTALLATION_TOKEN });
  kit.github.on("GET /repos/{owner}/{repo}/contents/{path}", () => ({
    headers: { "content-type": "application/vnd.github.raw; charset=utf-8" },
    body: configYaml,
  }));
  const { harness } = kit;
  worker = await startBackportsWorker({
    queue: harness.backportsQueue,
    queueName: harness.names.backports,
    prefix: harness.config.QUEUE_PREFIX,
    connection: harness.redis.duplicate(),
    redis: harness.redis,
    config: { BACKPORTS_DIR: join(scratch, "data"), BACKPORTS_PYTHON: "python3" },
    llm: { LLM_API_KEY: "not-needed", LLM_TIMEOUT_MS: 60_000, LLM_MAX_RETRIES: 0 },
    auth: (installationId) => harness.probot.auth(installationId),
    log: harness.probot.log,
  });
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await gitServer?.close();
  await kit?.close();
  await history?.repo.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

describe("the scheduled backport triage", () => {
  it("schedules a triage per stable branch on a push and shows its report on the dashboard", async () => {
    const head = execFileSync("git", ["-C", bareDir, "rev-parse", "master"], {
      encoding: "utf8",
    }).trim();
    await deliverWebhook({ probot: kit.harness.probot, name: "push", payload: pushToMaster(head) });
    const first = await eventually(async () => {
      const stored = await report();
      if (!stored) throw new Error("no report yet");
      return stored;
    }, 90_000);
    const schedulers = await kit.harness.backportsQueue.getJobSchedulers(0, -1);
    expect(schedulers.map((scheduler) => [scheduler.key, scheduler.pattern, scheduler.tz])).toEqual(
      [[SCHEDULER, "0 5 * * 1", "UTC"]],
    );
    // 5 commits since release-1.1 forked (4 + the merged pull request's), 2 of them picked.
    expect(first.counts).toEqual({ commits: 5, backported: 2, cached: 0, evaluated: 3 });
    // git fetched with the installation token, sent as a header; it is in no log line.
    expect(gitServer.authorizations.length).toBeGreaterThan(0);
    expect(kit.harness.logLines.join("\n")).not.toContain(INSTALLATION_TOKEN);

    const jar = new CookieJar(kit.origin);
    kit.signInToGitHubAs(alice);
    const page = `${kit.origin}/dashboard/${OWNER}/${REPO}/backports/${STABLE}`;
    const { response } = await jar.browse(page);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toBe(BACKPORTS_REPORT_CSP);
    const html = await response.text();
    expect(html).toContain(`Backports master → ${STABLE} — ${OWNER}/${REPO}`);
    expect(html).toContain(
      "Verdict model learned from 16 earlier commits of release-1.0 (8 backported).",
    );
    expect(html).toContain("No LLM: BACKPORTS_LLM_MODEL is not set.");
    expect(html).toContain(
      `href="https://github.com/${OWNER}/${REPO}/commit/${history.newCommits[1]}"`,
    );

    const stranger = new CookieJar(kit.origin);
    kit.signInToGitHubAs(mallory);
    expect((await stranger.browse(page)).response.status).toBe(404);
    kit.signInToGitHubAs(alice);
  }, 120_000);

  it("judges only the new commit on the next scheduled run", async () => {
    const before = await report();
    history.repo.tick();
    const late = history.repo.commit({
      file: "src/core/late.c",
      content: "late\n",
      message: "core: fix crash on late entry\n\nFixes: #999",
    });
    execFileSync("git", ["-C", history.repo.dir, "push", "-q", bareDir, "main:master"]);
    // What the scheduler queues at its next time: its own template, run now.
    const scheduler = await kit.harness.backportsQueue.getJobScheduler(SCHEDULER);
    expect(scheduler?.template?.data).toMatchObject({ kind: "triage", stable: STABLE });
    await kit.harness.backportsQueue.add("triage", scheduler?.template?.data);
    const second = await eventually(async () => {
      const stored = await report();
      if (!stored || stored.generatedAt === before?.generatedAt) throw new Error("not rerun yet");
      return stored;
    }, 90_000);
    expect(second.counts).toEqual({ commits: 6, backported: 2, cached: 3, evaluated: 1 });
    expect(second.html).toContain(late);
  }, 120_000);

  it("works on the dashboard in Chromium under its content policy (inline script allowed by hash)", async () => {
    const jar = new CookieJar(kit.origin);
    kit.signInToGitHubAs(alice);
    const page = `${kit.origin}/dashboard/${OWNER}/${REPO}/backports/${STABLE}`;
    expect((await jar.browse(page)).response.status).toBe(200);
    const profile = await mkdtemp(join(tmpdir(), "chromium-profile-"));
    const browser = await puppeteer.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", `--user-data-dir=${profile}`],
    });
    try {
      const tab = await browser.newPage();
      const blocked: string[] = [];
      tab.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
      });
      await tab.setCookie(
        ...[...jar.cookies].map(([name, value]) => ({ name, value, url: kit.origin })),
      );
      await tab.goto(page, { waitUntil: "load" });
      const row = await tab.$eval("tbody tr.commit:last-child", (element) => element.id);
      await tab.click(`#${row} input[value="u"]`);
      expect(await tab.$eval(`#${row}`, (element) => element.className)).toContain("v-u");
      expect(await tab.$eval("#cids", (area) => (area as HTMLTextAreaElement).value)).toMatch(
        /^cid_y=/,
      );
      expect(
        await tab.$eval(`#${row}`, (element) => getComputedStyle(element).backgroundColor),
      ).toBe("rgb(220, 252, 231)");
      await tab.screenshot({ path: "test/artifacts/backports-dashboard.png", fullPage: true });
      expect(blocked).toEqual([]);
    } finally {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    }
  }, 60_000);

  it("removes the schedule when the config no longer lists the branch", async () => {
    configYaml = "backports:\n  stable: []\n";
    // An empty list is a config error; the schedule stays until the config is valid.
    const head = late();
    await deliverWebhook({ probot: kit.harness.probot, name: "push", payload: pushToMaster(head) });
    await eventually(async () => {
      const failed = await kit.harness.backportsQueue.getFailed();
      if (!failed.some((job) => /backports\.stable lists no branch/.test(job.failedReason))) {
        throw new Error("not failed yet");
      }
    }, 30_000);
    expect((await kit.harness.backportsQueue.getJobSchedulers(0, -1)).map((s) => s.key)).toEqual([
      SCHEDULER,
    ]);
    configYaml = "review:\n  enabled: true\n";
    execFileSync("git", [
      "-C",
      history.repo.dir,
      "commit",
      "-q",
      "--allow-empty",
      "-m",
      "Drop backports",
    ]);
    execFileSync("git", ["-C", history.repo.dir, "push", "-q", bareDir, "main:master"]);
    await deliverWebhook({
      probot: kit.harness.probot,
      name: "push",
      payload: pushToMaster(late()),
    });
    await eventually(async () => {
      if ((await kit.harness.backportsQueue.getJobSchedulers(0, -1)).length > 0) {
        throw new Error("scheduler still there");
      }
    }, 30_000);
    // Every request to the stand-in GitHub was one GitHub would accept.
    expect(kit.github.violations).toEqual([]);
  }, 90_000);
});

/** The bare repository's master. */
function late(): string {
  return execFileSync("git", ["-C", bareDir, "rev-parse", "master"], { encoding: "utf8" }).trim();
}
