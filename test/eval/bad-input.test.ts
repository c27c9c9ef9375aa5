import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateModels } from "../../src/eval/evaluate-models.js";
import { parseHoldout, readHoldoutFile } from "../../src/eval/read-holdout.js";
import { createScorerRunner } from "../../src/eval/run-scorer.js";
import { createLlmClient } from "../../src/llm/create-llm-client.js";
import { loadReviewPrompts } from "../../src/review/load-review-prompts.js";
import { captureLog } from "../../support/capture-log.js";
import {
  type FakeOpenAiServer,
  startFakeOpenAiServer,
} from "../../support/llm/fake-openai-server.js";
import {
  hunksOfFixture,
  makeDatasetJsonl,
  REPO_FULL_NAME,
  SUBJECT,
} from "./support/make-dataset.js";
import { ADAPTER_NAME, BASE_MODEL, goldAnswers, standInModels } from "./support/stand-in-models.js";

const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));
const support = (file: string) => join(repositoryRoot, "test/eval/support", file);
const templates = await loadReviewPrompts();
const who = { reviewerLogin: SUBJECT.reviewerLogin, repoFullName: REPO_FULL_NAME, templates };

let dir: string;
let llm: FakeOpenAiServer;
let holdoutJsonl: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "eval-bad-"));
  holdoutJsonl = await makeDatasetJsonl({
    hunks: (await hunksOfFixture("mixed-changes")).slice(0, 4),
    firstPullNumber: 1,
  });
  llm = await startFakeOpenAiServer(standInModels(goldAnswers(holdoutJsonl)));
});

afterAll(async () => {
  await llm?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("a holdout that cannot be evaluated", () => {
  it("names a missing holdout file and the option to fix", async () => {
    const path = join(dir, "no-such-holdout.jsonl");
    await expect(readHoldoutFile({ ...who, path })).rejects.toThrow(
      `cannot read the holdout file ${path}: pass --holdout`,
    );
  });

  it("says an empty holdout has nothing to evaluate", () => {
    expect(() => parseHoldout({ ...who, text: "\n", source: "holdout.jsonl" })).toThrow(
      "the holdout holdout.jsonl has no examples",
    );
  });

  it("names the line that is not a chat", () => {
    const text = `${holdoutJsonl}{"prompt": "not a chat"}\n`;
    expect(() => parseHoldout({ ...who, text, source: "h.jsonl" })).toThrow(
      "line 5 of h.jsonl: not a system/user/assistant chat",
    );
  });
});

describe("a scorer that fails", () => {
  const pairsPath = () => join(dir, "pairs.jsonl");

  it("passes on the real scorer's complaint about bad pairs", async () => {
    await writeFile(pairsPath(), '{"pred": 1, "gold": "x"}\n');
    const score = createScorerRunner({ command: "python3 -m trainer score" });
    await expect(score({ pairsPath: pairsPath() })).rejects.toThrow(
      /the scorer "python3 -m trainer score" failed \(exit code 2\) on .*: error: line 1 of .*"pred" must be a string/,
    );
  });

  it.each([
    [
      `node ${support("failing-scorer.mjs")}`,
      /failed \(exit code 3\).*MemoryError: embedding batch too large/s,
    ],
    [
      `node ${support("chatty-scorer.mjs")}`,
      /last output line is not its JSON summary \("scored everything, trust me"\)/,
    ],
    [
      "no-such-scorer-binary --flag",
      /cannot start the scorer "no-such-scorer-binary --flag": .*ENOENT.*Set SCORER_COMMAND/,
    ],
  ])("%s", async (command, message) => {
    await writeFile(pairsPath(), '{"pred": "", "gold": ""}\n');
    await expect(createScorerRunner({ command })({ pairsPath: pairsPath() })).rejects.toThrow(
      message,
    );
  });

  it("stops the evaluation with the scorer's error and writes no report", async () => {
    const out = join(dir, "report-after-failure");
    const { log } = captureLog();
    await expect(
      evaluateModels({
        ...who,
        examples: parseHoldout({ ...who, text: holdoutJsonl, source: "holdout.jsonl" }),
        baseModel: BASE_MODEL,
        adapterName: ADAPTER_NAME,
        fewShotExamples: [],
        reviewerCommentRate: 0.5,
        client: createLlmClient({
          baseUrl: llm.baseUrl,
          apiKey: "x",
          timeoutMs: 5_000,
          maxRetries: 0,
        }),
        concurrency: 2,
        scorer: createScorerRunner({ command: `node ${support("failing-scorer.mjs")}` }),
        outputDir: out,
        log,
      }),
    ).rejects.toThrow(/MemoryError/);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it("says which model the endpoint does not serve", async () => {
    const { log } = captureLog();
    await expect(
      evaluateModels({
        ...who,
        examples: parseHoldout({ ...who, text: holdoutJsonl, source: "holdout.jsonl" }),
        baseModel: BASE_MODEL,
        adapterName: "acme-shop-alice-v9",
        fewShotExamples: [],
        reviewerCommentRate: 0.5,
        client: createLlmClient({
          baseUrl: llm.baseUrl,
          apiKey: "x",
          timeoutMs: 5_000,
          maxRetries: 0,
        }),
        concurrency: 2,
        scorer: () => Promise.reject(new Error("the scorer must not run")),
        log,
      }),
    ).rejects.toThrow(
      'the model "acme-shop-alice-v9" answered for none of the 4 holdout hunks (LLM refused with 404)',
    );
  });
});

function runCli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(
      join(repositoryRoot, "node_modules/.bin/tsx"),
      ["src/start/eval.ts", ...args],
      {
        cwd: repositoryRoot,
        env: {
          PATH: process.env.PATH ?? "",
          LOG_LEVEL: "warn",
          // The developer's own .env must not change what the test sees.
          DOTENV_CONFIG_PATH: "/dev/null",
          ...env,
        },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the eval command line", () => {
  it("prints the usage and exits 2 when --reviewer is missing", async () => {
    const run = await runCli(["--repo", "acme/shop"], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--reviewer must be a GitHub login");
    expect(run.stderr).toContain("Usage: npm run eval -- --repo <owner/name> --reviewer <login>");
  });

  it("exits 1 naming the holdout file it cannot read", async () => {
    const path = join(dir, "missing.jsonl");
    const run = await runCli(
      [
        ...["--repo", "acme/shop", "--reviewer", "alice", "--holdout", path, "--budget", "2"],
        ...["--out", join(dir, "x")],
      ],
      { LLM_BASE_URL: llm.baseUrl },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `eval failed: cannot read the holdout file ${path}: pass --holdout`,
    );
  });

  it("exits 1 naming LLM_BASE_URL when it is not a URL", async () => {
    const run = await runCli(
      ["--repo", "acme/shop", "--reviewer", "alice", "--holdout", "h.jsonl", "--budget", "2"],
      { LLM_BASE_URL: "vllm" },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("LLM_BASE_URL");
  });

  it("exits 2 when a holdout file comes without a comment budget, rather than capping recall", async () => {
    const run = await runCli(
      ["--repo", "acme/shop", "--reviewer", "alice", "--holdout", "h.jsonl"],
      { LLM_BASE_URL: llm.baseUrl },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--comment-rate <rate>");
    expect(run.stderr).toContain("--budget <n>");
  });

  it("exits 2 when --predictions comes with LLM options", async () => {
    const run = await runCli(["--predictions", "p.jsonl", "--model", "m"], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--model only go with an LLM run");
  });
});
