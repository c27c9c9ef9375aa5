import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createScorerRunner } from "../../src/eval/run-scorer.js";
import { scorePredictionsFile } from "../../src/eval/score-predictions-file.js";

describe("scorePredictionsFile", () => {
  it("reports the hunks a model gave no answer for, which the file holds as silent", async () => {
    const dir = await mkdtemp(join(tmpdir(), "eval-failed-hunks-"));
    try {
      const lines = ["Use `size_t` here", "", "This can overflow."].map((gold, index) =>
        JSON.stringify({
          system: "adapter",
          budget: 1,
          gold,
          gold_commented: gold !== "",
          gold_line: gold !== "" ? index + 1 : null,
          pred: index === 0 ? "Use size_t" : "",
          pred_commented: index === 0,
          pred_line: index === 0 ? 1 : null,
        }),
      );
      const path = join(dir, "run.jsonl");
      await writeFile(path, `${lines.join("\n")}\n`);
      const { scores, files } = await scorePredictionsFile({
        path,
        failedHunks: { adapter: { "LLM refused with 400": 2 } },
        reviewerCommentRate: 0.059,
        scorer: createScorerRunner({ command: "python3 -m trainer score" }),
        outputDir: dir,
        date: "2026-05-01",
        log: pino({ level: "silent" }),
      });
      const adapter = scores.systems.find((system) => system.id === "adapter");
      expect(adapter?.ran && adapter.failedHunks).toEqual({ "LLM refused with 400": 2 });
      expect(await readFile(files.markdown, "utf8")).toMatch(/\| hunks without an answer \| 2 \|/);
      // The rate behind the budgets reaches the .json too (it used to say null).
      const json = JSON.parse(await readFile(files.json, "utf8"));
      expect(json.reviewerCommentRate).toBe(0.059);
      expect(json.systems[0].failedHunks).toEqual({ "LLM refused with 400": 2 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // One real scorer run (it loads the embedding model): slow on a loaded 2-core box.
  }, 180_000);
});
