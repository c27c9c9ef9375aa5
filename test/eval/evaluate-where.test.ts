import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { evaluateModels } from "../../src/eval/evaluate-models.js";
import { evaluateWhereOnHoldout, type WhereSource } from "../../src/eval/evaluate-where.js";
import { loadEvalInputs } from "../../src/eval/load-eval-inputs.js";
import { parseHoldout } from "../../src/eval/read-holdout.js";
import type { ScoreSummary } from "../../src/eval/run-scorer.js";
import { createLlmClient } from "../../src/llm/create-llm-client.js";
import { loadReviewPrompts } from "../../src/review/load-review-prompts.js";
import { buildWhereHistory } from "../../src/where/build-where-history.js";
import type { WhereRow } from "../../src/where/build-where-rows.js";
import { fitWhereModel } from "../../src/where/fit-where-model.js";
import { classificationFigures } from "../../src/where/score-where.js";
import { captureLog } from "../../support/capture-log.js";
import { seedRepository } from "../../support/history/seed-repository.js";
import { startFakeOpenAiServer } from "../../support/llm/fake-openai-server.js";
import { TEST_REDIS_URL } from "../../support/redis.js";
import { type HistoryHarness, startHistoryHarness } from "../history/support/history-harness.js";
import {
  hunksOfFixture,
  makeDatasetJsonl,
  REPO_FULL_NAME,
  SUBJECT,
} from "./support/make-dataset.js";

const templates = await loadReviewPrompts();
let harness: HistoryHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A reviewer's history collected by the history stage into the real Redis, read as eval does. */
async function collectedSource(): Promise<{ source: WhereSource; holdoutFrom: string }> {
  harness = await startHistoryHarness(
    seedRepository({
      owner: "acme",
      name: "widgets",
      target: "alice",
      otherReviewers: 2,
      targetComments: 80,
      targetPulls: 30,
      totalComments: 100,
      otherPulls: 0,
    }),
  );
  const history = await harness.collect();
  const inputs = await loadEvalInputs({
    subject: harness.subject,
    templates,
    redis: { url: TEST_REDIS_URL, keyPrefix: harness.keyPrefix },
    log: captureLog().log,
  });
  const source = inputs.whereSource;
  if (!source) throw new Error("loadEvalInputs gave no where source from Redis");
  const holdoutFrom = history.stats.holdoutFrom;
  if (!holdoutFrom) throw new Error("the collected history has no holdout");
  return { source, holdoutFrom };
}

describe("the where-model on the history stage's holdout (npm run eval, the adapter's evaluation)", () => {
  it("is fitted only on pull requests before the holdout and scored on every hunk of the held-out ones, beside the size rule", async () => {
    const { source, holdoutFrom } = await collectedSource();
    expect(source.holdoutFrom).toBe(holdoutFrom);
    const fitted: WhereRow[][] = [];
    const where = await evaluateWhereOnHoldout({
      reviewerLogin: "alice",
      source,
      fit: (rows) => {
        fitted.push([...rows]);
        return fitWhereModel({ rows, mode: "balanced" });
      },
      log: captureLog().log,
    });
    if (!where.ran) throw new Error(`not evaluated: ${where.reason}`);
    // One fit, on rows of pull requests opened before the holdout only.
    expect(fitted).toHaveLength(1);
    const [rows = []] = fitted;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.time < holdoutFrom)).toBe(true);

    // The same hunks, read independently: every hunk of held-out pull requests alice commented in.
    const history = buildWhereHistory({ reviewerLogin: "alice", ...source });
    const heldOut = history.pulls.filter(
      (pull) => pull.createdAt >= holdoutFrom && pull.hunks.some((h) => h.commentTimes.length > 0),
    );
    const hunks = heldOut.flatMap((pull) => pull.hunks);
    expect(where.heldOutPulls).toBe(heldOut.length);
    expect(where.hunks).toBe(hunks.length);
    expect(where.commented).toBe(hunks.filter((h) => h.commentTimes.length > 0).length);
    expect(where.commented).toBeGreaterThan(0);
    expect(where.systems.map((system) => system.id)).toEqual([
      "where-model",
      "size-rule",
      "always-comment",
    ]);
    const size = classificationFigures(
      hunks.map((h) => ({
        label: h.commentTimes.length > 0 ? 1 : 0,
        predicted: h.hunk.lines.filter((line) => line.kind === "add").length > 3,
      })),
    );
    expect(where.systems[1]).toMatchObject({
      f1: size.f1,
      precision: size.precision,
      recall: size.recall,
      speaks: size.predicted,
    });
    expect(where.systems[2]).toMatchObject({
      precision: where.commented / where.hunks,
      recall: 1,
      speaks: where.hunks,
    });
    const model = where.systems[0];
    expect(model?.speaks).toBeGreaterThan(0);
    for (const figure of [model?.f1, model?.precision, model?.recall, model?.prauc]) {
      expect(figure).toBeGreaterThanOrEqual(0);
      expect(figure).toBeLessThanOrEqual(1);
    }
    expect(where.trainedOn.pulls).toBe(new Set(rows.map((row) => row.pull)).size);
    expect(where.rule).toMatch(/held-out hunks$/);
  }, 180_000);

  it("says why instead of inventing figures: no recorded boundary, no holdout, a fit that fails", async () => {
    const { source } = await collectedSource();
    const { log } = captureLog();
    const fit = () => fitWhereModel({ rows: [], mode: "balanced" });
    expect(
      await evaluateWhereOnHoldout({
        reviewerLogin: "alice",
        source: { ...source, holdoutFrom: undefined },
        fit,
        log,
      }),
    ).toEqual({
      ran: false,
      reason:
        "the history was collected before its holdout boundary was recorded: collect it again",
    });
    expect(
      await evaluateWhereOnHoldout({
        reviewerLogin: "alice",
        source: { ...source, holdoutFrom: null },
        fit,
        log,
      }),
    ).toEqual({ ran: false, reason: "the history has no holdout" });
    const failed = await evaluateWhereOnHoldout({
      reviewerLogin: "alice",
      source,
      fit: async () => {
        throw new Error("no python3 here");
      },
      log,
    });
    expect(failed).toEqual({
      ran: false,
      reason: "the where-model could not be fitted: no python3 here",
    });
  }, 60_000);
});

describe("evaluateModels with the collected history", () => {
  it("puts the where-model's section in the scores and the written report", async () => {
    const { source } = await collectedSource();
    const llm = await startFakeOpenAiServer(() => ({ text: "NO_COMMENT" }));
    const out = await mkdtemp(join(tmpdir(), "eval-where-report-"));
    const summary: ScoreSummary = {
      n: 2,
      n_bleu: 0,
      bleu: null,
      n_text: 0,
      chrf: null,
      rouge_l: null,
      embed_sim: null,
      embed_sim_floor: null,
    };
    try {
      const who = { reviewerLogin: SUBJECT.reviewerLogin, repoFullName: REPO_FULL_NAME, templates };
      const holdout = await makeDatasetJsonl({
        hunks: (await hunksOfFixture("mixed-changes")).slice(0, 2),
        firstPullNumber: 1,
      });
      const { scores, files } = await evaluateModels({
        ...who,
        examples: parseHoldout({ ...who, text: holdout, source: "holdout.jsonl" }),
        baseModel: "base",
        fewShotExamples: [],
        reviewerCommentRate: 0.5,
        client: createLlmClient({
          baseUrl: llm.baseUrl,
          apiKey: "x",
          timeoutMs: 5_000,
          maxRetries: 0,
        }),
        concurrency: 2,
        scorer: async () => summary,
        whereSource: source,
        outputDir: out,
        date: "2026-05-01",
        log: captureLog().log,
      });
      if (!scores.where?.ran)
        throw new Error(`where not evaluated: ${JSON.stringify(scores.where)}`);
      expect(scores.where.systems.map((system) => system.id)).toEqual([
        "where-model",
        "size-rule",
        "always-comment",
      ]);
      const json = JSON.parse(await readFile(files?.json ?? "", "utf8"));
      expect(json.where).toEqual(JSON.parse(JSON.stringify(scores.where)));
      const markdown = await readFile(files?.markdown ?? "", "utf8");
      expect(markdown).toContain(
        `## Where they speak: the where-model on every hunk of ${scores.where.heldOutPulls} held-out pull requests`,
      );
    } finally {
      await llm.close();
      await rm(out, { recursive: true, force: true });
    }
  }, 180_000);
});
