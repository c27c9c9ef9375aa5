import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTriageArgs } from "../../src/backports/parse-triage-args.js";
import { runBackportsCommand } from "../../src/backports/run-backports-command.js";
import { loadBackportsCliConfig } from "../../src/start/load-backports-config.js";
import {
  type FakeOpenAiServer,
  lastUserMessage,
  startFakeOpenAiServer,
} from "../../support/llm/fake-openai-server.js";
import { type BackportHistory, buildBackportHistory } from "./support/make-git-repo.js";

let history: BackportHistory;
let llm: FakeOpenAiServer;
let scratch: string;
/** The one feature the LLM wants backported: the model says no, so the verdict must be U. */
const DISPUTED = "feature: add gadget 1";

/** The fake LLM's answer: fixes yes (citing the issue), features no, except the disputed one. */
function answerFor(userTurn: string): string {
  if (userTurn.includes(DISPUTED))
    return "VERDICT: yes\nREASON: Users of 1.1 asked for it in #201.";
  if (/fix crash/.test(userTurn)) {
    const issue = /Fixes: (#\d+)/.exec(userTurn)?.[1] ?? "";
    return `VERDICT: yes\nREASON: Fixes ${issue}, a use after free on the 1.1 line.`;
  }
  return "VERDICT: no\nREASON: A new feature.";
}

const config = (env: Record<string, string>) => loadBackportsCliConfig(env);
const env = (baseUrl: string) => ({
  DOTENV_CONFIG_PATH: "/dev/null",
  LLM_BASE_URL: baseUrl,
  BASE_MODEL_NAME: "base-model",
  LLM_MAX_RETRIES: "0",
});

beforeAll(async () => {
  history = await buildBackportHistory({ newCommitCount: 45 });
  llm = await startFakeOpenAiServer((request) => ({ text: answerFor(lastUserMessage(request)) }));
  scratch = await mkdtemp(join(tmpdir(), "backports-triage-"));
}, 60_000);

afterAll(async () => {
  await llm.close();
  await history.repo.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

async function readVerdicts(outDir: string) {
  const text = await readFile(join(outDir, "verdicts.jsonl"), "utf8");
  return text
    .trim()
    .split("\n")
    .map(
      (line) =>
        JSON.parse(line) as { sha: string; verdict: string; reason: string; backported: boolean },
    );
}

describe("npm run backports on a local clone", () => {
  const outDir = () => join(scratch, "in-process");
  const args = () =>
    parseTriageArgs([
      "--git-dir",
      history.repo.dir,
      "--dev",
      "main",
      "--stable",
      "release-1.1",
      "--out",
      outDir(),
      "--web-url",
      "https://github.com/acme/shop",
    ]);

  it("writes one verdict per commit, marks the backported ones and learns from release-1.0", async () => {
    const progress: string[] = [];
    const { result } = await runBackportsCommand({
      args: args(),
      config: config(env(llm.baseUrl)),
      now: new Date("2025-01-01T00:00:00Z"),
      onProgress: (message) => progress.push(message),
    });
    expect(result.counts).toEqual({ commits: 46, backported: 2, cached: 0, evaluated: 44 });
    expect(result.modelNote).toMatch(
      /^Verdict model learned from 16 earlier commits of release-1\.0 \(8 backported\)/,
    );
    expect(progress).toContain("judged 44/44 new commits");
    const verdicts = await readVerdicts(outDir());
    expect(verdicts).toHaveLength(46);
    for (const line of verdicts) {
      expect(Object.keys(line).sort()).toEqual(["backported", "reason", "sha", "verdict"]);
      expect(line.sha).toMatch(/^[0-9a-f]{40}$/);
    }
    expect(
      verdicts
        .filter((line) => line.backported)
        .map((line) => line.sha)
        .sort(),
    ).toEqual([...history.alreadyPicked].sort());
    const bySubject = (index: number) =>
      verdicts.find((line) => line.sha === history.newCommits[index]);
    // Fix 2: the model (fixes in core/ went to 1.0) and the LLM agree.
    expect(bySubject(2)?.verdict).toMatch(/^(yes|wait)$/);
    expect(bySubject(2)?.reason).toContain("Fixes #202, a use after free on the 1.1 line.");
    // Gadget 1: the LLM says yes, the model no → uncertain, and the reason gives both.
    expect(bySubject(1)?.verdict).toBe("uncertain");
    expect(bySubject(1)?.reason).toContain(
      "The LLM says backport now: Users of 1.1 asked for it in #201.",
    );
    expect(bySubject(1)?.reason).toMatch(/Verdict model: no backport \(p=0\.\d\d/);
    expect(bySubject(3)?.verdict).toBe("no");
    const html = await readFile(join(outDir(), "index.html"), "utf8");
    expect(html).toContain('<a href="https://github.com/acme/shop/issues/201">#201</a>');
    // The fixture's message holds "<b>bold</b>": shown as text, never as markup.
    expect(html).not.toContain("<b>bold</b>");
  });

  it("judges only new commits on a rerun, and a new commit alone after it lands", async () => {
    const asked = llm.requests.length;
    const again = await runBackportsCommand({
      args: args(),
      config: config(env(llm.baseUrl)),
      now: new Date("2025-01-02T00:00:00Z"),
      onProgress: () => undefined,
    });
    expect(again.result.counts).toEqual({ commits: 46, backported: 2, cached: 44, evaluated: 0 });
    expect(llm.requests.length).toBe(asked);
    history.repo.tick();
    history.repo.commit({
      file: "src/core/late.c",
      content: "late\n",
      message: "core: fix crash on late entry\n\nFixes: #999",
    });
    const later = await runBackportsCommand({
      args: args(),
      config: config(env(llm.baseUrl)),
      now: new Date("2025-01-03T00:00:00Z"),
      onProgress: () => undefined,
    });
    expect(later.result.counts).toEqual({ commits: 47, backported: 2, cached: 44, evaluated: 1 });
    expect(llm.requests.length).toBe(asked + 1);
  });

  it("says in the report when there is no LLM, and decides from the model alone", async () => {
    const noLlm = join(scratch, "no-llm");
    const { result } = await runBackportsCommand({
      args: parseTriageArgs([
        "--git-dir",
        history.repo.dir,
        "--dev",
        "main",
        "--stable",
        "release-1.1",
        "--out",
        noLlm,
      ]),
      config: config({}),
      now: new Date("2025-01-01T00:00:00Z"),
      onProgress: () => undefined,
    });
    expect(result.llmNote).toContain("No LLM: LLM_BASE_URL is not set");
    const verdicts = await readVerdicts(noLlm);
    expect(verdicts.find((line) => line.sha === history.newCommits[1])?.verdict).toBe("no");
    expect(verdicts.find((line) => line.sha === history.newCommits[2])?.reason).toMatch(
      /^Verdict model: backport/,
    );
    expect(await readFile(join(noLlm, "index.html"), "utf8")).toContain(
      "No LLM: LLM_BASE_URL is not set",
    );
  });
});

describe("an interrupted triage", () => {
  it("leaves only whole verdicts behind, and the next run judges only what is left", async () => {
    const outDir = join(scratch, "interrupted");
    let answered = 0;
    const slow = await startFakeOpenAiServer((request) => {
      answered += 1;
      // Answers 25, then hangs: the run is killed while it waits for the 26th.
      return answered <= 25 ? { text: answerFor(lastUserMessage(request)) } : { hang: true };
    });
    const cachePath = join(outDir, "verdict-cache.json");
    const child: ChildProcess = spawn(
      "node_modules/.bin/tsx",
      [
        "src/start/backports.ts",
        "--git-dir",
        history.repo.dir,
        "--dev",
        "main",
        "--stable",
        "release-1.1",
        "--out",
        outDir,
      ],
      { env: { ...process.env, ...env(slow.baseUrl) }, stdio: "ignore", detached: true },
    );
    try {
      const deadline = Date.now() + 60_000;
      while (answered <= 25 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(answered).toBeGreaterThan(25);
      process.kill(-(child.pid as number), "SIGKILL");
    } finally {
      await slow.close();
    }
    const cache = JSON.parse(await readFile(cachePath, "utf8")) as {
      entries: Record<string, { verdict: string; reason: string }>;
    };
    const entries = Object.values(cache.entries);
    // Flushed every 20 verdicts: the first 20 are on disk, each complete.
    expect(entries).toHaveLength(20);
    for (const entry of entries) {
      expect(entry.verdict).toMatch(/^(yes|wait|no|uncertain)$/);
      expect(entry.reason.length).toBeGreaterThan(10);
    }
    expect(await readdir(outDir)).not.toContain("verdicts.jsonl");
    const resumed = await runBackportsCommand({
      args: parseTriageArgs([
        "--git-dir",
        history.repo.dir,
        "--dev",
        "main",
        "--stable",
        "release-1.1",
        "--out",
        outDir,
      ]),
      config: config(env(llm.baseUrl)),
      now: new Date(),
      onProgress: () => undefined,
    });
    expect(resumed.result.counts.cached).toBe(20);
    expect(resumed.result.counts.evaluated).toBe(resumed.result.counts.commits - 2 - 20);
  }, 90_000);
});
