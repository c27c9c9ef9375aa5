import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  type ChatRequest,
  lastUserMessage,
  startFakeOpenAiServer,
} from "../../support/llm/fake-openai-server.js";
import { generateReviewHistory, writeReviewHistory } from "../support/generate-review-history.js";

const root = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "bench-where-llm-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runBench(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(join(root, "node_modules/.bin/tsx"), ["bench/where.ts", ...args], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: "warn" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

/** The stand-in's P(comment): higher for hunks adding more lines (from the prompt's hunk). */
function commentProbability(request: ChatRequest): number {
  const added = lastUserMessage(request)
    .split("\n")
    .filter((line) => line.startsWith("+") && !line.startsWith("+++")).length;
  return Math.min(0.9, 0.05 + added / 20);
}

describe("npm run bench:where -- --llm <base_url> --model <name>", () => {
  it("asks the model once per hunk with the zero-shot persona and reports the LLM-fed where-model and the LLM alone beside the others", async () => {
    const historyPath = join(dir, "history.jsonl.gz");
    writeReviewHistory(
      historyPath,
      generateReviewHistory({
        seed: 11,
        pulls: 90,
        reviewers: ["alice", "bob"],
        authors: ["carol", "dave", "erin"],
      }),
    );
    const llm = await startFakeOpenAiServer((request) => ({
      text: "NO_COMMENT",
      noCommentProbability: 1 - commentProbability(request),
    }));
    try {
      const out = join(dir, "out");
      const run = await runBench([
        ...["--history", historyPath, "--reviewer", "alice", "--out", out],
        ...["--llm", llm.baseUrl, "--model", "stand-in-model", "--concurrency", "2"],
      ]);
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      const lines = run.stdout.trim().split("\n");

      // Every hunk of every pull request alice took part in, once, zero-shot (system + hunk).
      const asked =
        /llm stand-in-model: (\d+) hunks asked, (\d+) with P\(comment\), 0 without/.exec(
          run.stdout,
        );
      expect(asked, run.stdout).not.toBeNull();
      expect(Number(asked?.[1])).toBe(llm.requests.length);
      expect(Number(asked?.[2])).toBe(llm.requests.length);
      expect(llm.requests.length).toBeGreaterThan(50);
      for (const request of llm.requests) {
        expect(request.model).toBe("stand-in-model");
        expect(request.messages.map((message) => message.role)).toEqual(["system", "user"]);
        expect(request.messages[0]?.content).toContain("alice");
      }

      // The plain where-model's folds and the LLM-fed one's, fitted on the same folds.
      expect(lines.filter((line) => /^ {2}fold \d: /.test(line))).toHaveLength(3);
      expect(lines.filter((line) => /^ {2}where_llm fold \d: /.test(line))).toHaveLength(3);
      const reviewerLine = lines.find((line) => line.startsWith("reviewer=alice")) ?? "";
      const figure = (name: string) =>
        Number(new RegExp(` ${name}=(\\d\\.\\d{3})`).exec(reviewerLine)?.[1] ?? Number.NaN);
      for (const name of ["f1_where", "f1_size_rule", "f1_where_llm", "f1_llm", "prauc_llm"]) {
        expect(figure(name), `${name} in ${reviewerLine}`).toBeGreaterThanOrEqual(0);
        expect(figure(name)).toBeLessThanOrEqual(1);
      }
      expect(reviewerLine).toMatch(/ f1_llm=\d\.\d{3} \[\d\.\d{3},\d\.\d{3}\] p_llm=/);
      expect(lines.at(-1)).toMatch(
        /^reviewers=1 beats_size_rule=[01] pooled_f1_where=\d\.\d{3} pooled_f1_size_rule=\d\.\d{3} pooled_prauc_where=\d\.\d{3} pooled_prauc_size_rule=\d\.\d{3} pooled_f1_where_llm=\d\.\d{3} pooled_prauc_where_llm=\d\.\d{3} pooled_f1_llm=\d\.\d{3} pooled_prauc_llm=\d\.\d{3}$/,
      );

      // The LLM's score reached the second model's fit as the llm:p feature.
      const report = JSON.parse(readFileSync(join(out, "bench-where.json"), "utf8"));
      const [alice] = report.reviewers;
      expect(alice.whereLlmFolds).toHaveLength(3);
      expect(alice.whereLlmFolds.some((fold: { llmWeight: number }) => fold.llmWeight !== 0)).toBe(
        true,
      );
      expect(Object.keys(alice.figures)).toEqual([
        "where",
        "size_rule",
        "always",
        "where_llm",
        "llm",
      ]);
    } finally {
      await llm.close();
    }
  }, 600_000);

  it("refuses --llm without --model", async () => {
    const run = await runBench([
      ...["--history", join(dir, "none.jsonl.gz"), "--reviewer", "alice"],
      ...["--llm", "http://127.0.0.1:9/v1"],
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--llm and --model go together");
  });
});
