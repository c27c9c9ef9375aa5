import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type OpenAI from "openai";
import type { Logger } from "pino";
import type { SamplingSettings } from "../llm/ask-model-for-hunk.js";
import type { PrecedentIndex } from "../retrieval/precedent-index.js";
import type { ReviewPromptTemplates } from "../review/load-review-prompts.js";
import type { HunkVerdict } from "../review/review-hunk.js";
import type { FewShotExample, ReviewModel } from "../review/review-model.js";
import type { WhereRow } from "../where/build-where-rows.js";
import { fitWhereModel } from "../where/fit-where-model.js";
import type { WhereModel } from "../where/where-model.js";
import { buildScorePairs, toPairsJsonl } from "./build-score-pairs.js";
import { evaluateText } from "./evaluate-text.js";
import {
  evaluateWhereOnHoldout,
  type WhereEvaluation,
  type WhereSource,
} from "./evaluate-where.js";
import type { EvaluationScores, SystemId, SystemScores } from "./evaluation-scores.js";
import { predictHoldout } from "./predict-holdout.js";
import type { HoldoutExample } from "./read-holdout.js";
import type { ScorerRunner } from "./run-scorer.js";
import { holdoutBudget } from "./select-over-holdout.js";
import { type ReportFiles, writeEvaluationReport } from "./write-evaluation-report.js";

/** The systems an evaluation asks the LLM: the adapter, the base model with and without examples. */
export type LlmSystemId = "adapter" | "few-shot" | "zero-shot";

export interface EvaluateModelsParams {
  /** The reviewer's holdout (readHoldoutFile / parseHoldout), never trained on. */
  examples: readonly HoldoutExample[];
  reviewerLogin: string;
  repoFullName: string;
  /** BASE_MODEL_NAME: the few-shot and zero-shot columns. */
  baseModel: string;
  /** The adapter's vLLM model name (`<owner>-<repo>-<login>-v<N>`); without it the column says so. */
  adapterName?: string | undefined;
  /** Few-shot examples from the training part (loadFewShotExamples); empty: column not run. */
  fewShotExamples: readonly FewShotExample[];
  /**
   * LLM systems not to ask, each with the reason its columns ("where" and "what") give instead
   * of figures; default none: all three run. The model-free baselines (text baselines, the
   * where-model beside the size rule and always-comment) run either way.
   */
  skipSystems?: Partial<Record<LlmSystemId, string>> | undefined;
  /**
   * The reviewer's precedent index (the history's, over the training part): few-shot's
   * precedents and the text baselines' source; absent: no precedents, baselines not run.
   */
  index?: PrecedentIndex | undefined;
  /** The adapter's own snapshot of the index, when it has one (else `index`). */
  adapterIndex?: PrecedentIndex | undefined;
  /**
   * The collected history the where-model is fitted and scored from (before / after the
   * holdout boundary); absent (holdout files): the where section says why it was not run.
   */
  whereSource?: WhereSource | undefined;
  /** Fits a where-model on training rows; default `python3 -m trainer where fit` (balanced). */
  whereFit?: (rows: readonly WhereRow[]) => Promise<{ model: WhereModel; seconds: number }>;
  /** The reviewer's comments per hunk (history statistics), as the review stage uses it. */
  reviewerCommentRate: number;
  /** Comments allowed over the whole holdout, for every system; default ⌈rate × hunks⌉. */
  commentBudget?: number | undefined;
  /** What the examples are, for the report; default the reviewer's newest pull requests. */
  dataset?: string | undefined;
  /** OpenAI client for LLM_BASE_URL (createLlmClient). */
  client: OpenAI;
  templates: ReviewPromptTemplates;
  /** LLM_CONCURRENCY: hunks in flight at once. */
  concurrency: number;
  /** The review's consensus decoding for the "what" comments (evaluateText); none: greedy. */
  sampling?: SamplingSettings | undefined;
  /** createScorerRunner({ command: SCORER_COMMAND }) or a stand-in. */
  scorer: ScorerRunner;
  /** Folder for the report files (e.g. `eval/`); omit to only get the scores. */
  outputDir?: string | undefined;
  /** `YYYY-MM-DD` for the report; default today (UTC). */
  date?: string | undefined;
  log: Logger;
}

/**
 * Scores the reviewer's adapter, the base model with few-shot examples and the base model alone
 * on the holdout, each through the review stage's own prompt building (precedents included),
 * LLM calls, scoring and selection, then `python -m trainer score`; then "what" on every
 * commented hunk beside the retrieval-only and most-frequent-comment baselines (evaluateText);
 * then "where" apart from the LLM: the reviewer's where-model, fitted on the pull requests
 * before the holdout, beside the size rule on every hunk of the held-out pull requests
 * (evaluateWhereOnHoldout). A system in `skipSystems` is not asked: its columns say why. "What"
 * asks a system only on the commented hunks its "where" answer let pass (see evaluateText).
 * Writes `<reviewer>-<date>.json/.md/.svg` when `outputDir` is given. Pairs files hold the
 * reviewer's comments: they live in a temporary folder removed before returning.
 *
 * @throws Error when a system's model answers for no hunk or the scorer fails.
 */
export async function evaluateModels(
  params: EvaluateModelsParams,
): Promise<{ scores: EvaluationScores; files?: ReportFiles }> {
  const date = params.date ?? new Date().toISOString().slice(0, 10);
  const workDir = await mkdtemp(join(tmpdir(), "tlb-eval-"));
  try {
    const planned = describeSystems(params);
    const systems: SystemScores[] = [];
    const whereAnswers = new Map<SystemId, ReadonlyMap<HoldoutExample, HunkVerdict>>();
    for (const system of planned) {
      if (!system.model) {
        systems.push({
          id: system.id,
          title: system.title,
          model: null,
          ran: false,
          reason: system.reason,
        });
        continue;
      }
      const { column, answers } = await evaluateSystem({
        ...params,
        ...system,
        model: system.model,
        workDir,
      });
      systems.push(column);
      whereAnswers.set(system.id, answers);
    }
    const where: WhereEvaluation = params.whereSource
      ? await evaluateWhereOnHoldout({
          reviewerLogin: params.reviewerLogin,
          source: params.whereSource,
          fit: params.whereFit ?? ((rows) => fitWhereModel({ rows, mode: "balanced" })),
          log: params.log,
        })
      : {
          ran: false,
          reason:
            "holdout files carry no pull requests: the where-model is evaluated from the collected history in Redis (run without --holdout)",
        };
    const text = await evaluateText({
      ...params,
      systems: planned.map((system) =>
        system.model
          ? {
              id: system.id,
              title: system.title,
              model: system.model,
              whereAnswers: whereAnswers.get(system.id),
            }
          : { id: system.id, title: system.title, reason: system.reason },
      ),
      index: params.index,
      workDir,
    });
    const scores: EvaluationScores = {
      name: params.reviewerLogin,
      dataset:
        params.dataset ??
        `held out from ${params.reviewerLogin}'s newest pull requests in ${params.repoFullName}, never trained on, read with the review's own prompts`,
      reviewerLogin: params.reviewerLogin,
      repoFullName: params.repoFullName,
      date,
      holdoutSize: params.examples.length,
      holdoutComments: params.examples.filter((example) => example.gold.kind === "comment").length,
      reviewerCommentRate: params.commentBudget === undefined ? params.reviewerCommentRate : null,
      baseModel: params.baseModel,
      systems,
      text,
      where,
    };
    if (!params.outputDir) return { scores };
    const files = await writeEvaluationReport({ scores, outputDir: params.outputDir });
    return { scores, files };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function precedentsOf(index: PrecedentIndex | undefined): { precedents?: PrecedentIndex } {
  return index ? { precedents: index } : {};
}

type PlannedSystem = { id: LlmSystemId; title: string; model?: ReviewModel; reason: string };

function describeSystems(params: EvaluateModelsParams): PlannedSystem[] {
  return wantedSystems(params).map((system) => {
    const skipped = params.skipSystems?.[system.id];
    return skipped === undefined ? system : { id: system.id, title: system.title, reason: skipped };
  });
}

function wantedSystems(params: EvaluateModelsParams): PlannedSystem[] {
  const examples = [...params.fewShotExamples];
  return [
    params.adapterName
      ? {
          id: "adapter",
          title: "adapter",
          // Only the name and precedents reach the LLM call; version and trainedOn label reviews.
          model: {
            kind: "adapter",
            name: params.adapterName,
            version: 1,
            trainedOn: 0,
            ...precedentsOf(params.adapterIndex ?? params.index),
          },
          reason: "",
        }
      : { id: "adapter", title: "adapter", reason: "no adapter (pass --model <name>)" },
    examples.length > 0
      ? {
          id: "few-shot",
          title: `few-shot (${examples.length} examples)`,
          model: {
            kind: "few-shot",
            baseModel: params.baseModel,
            examples,
            ...precedentsOf(params.index),
          },
          reason: "",
        }
      : { id: "few-shot", title: "few-shot", reason: "no training examples to show" },
    {
      id: "zero-shot",
      title: "zero-shot",
      // With no examples the review builds the persona and the hunk only (build-hunk-messages).
      model: { kind: "few-shot", baseModel: params.baseModel, examples: [] },
      reason: "",
    },
  ];
}

async function evaluateSystem(
  params: EvaluateModelsParams & {
    id: SystemId;
    title: string;
    model: ReviewModel;
    workDir: string;
  },
): Promise<{ column: SystemScores; answers: ReadonlyMap<HoldoutExample, HunkVerdict> }> {
  const modelName = params.model.kind === "adapter" ? params.model.name : params.model.baseModel;
  params.log.info({ system: params.id, model: modelName }, "eval: reading the holdout");
  const budget = holdoutBudget({
    holdoutSize: params.examples.length,
    reviewerCommentRate: params.reviewerCommentRate,
    comments: params.commentBudget,
  });
  const { predictions, failedHunks, answers } = await predictHoldout({
    ...params,
    model: params.model,
    budget: budget.comments,
  });
  const pairs = buildScorePairs({ examples: params.examples, predictions });
  const pairsPath = join(params.workDir, `${params.id}.jsonl`);
  await writeFile(pairsPath, toPairsJsonl(pairs), { mode: 0o600 });
  const scores = await params.scorer({ pairsPath });
  params.log.info({ system: params.id, f1: scores.comment_f1 }, "eval: scored");
  const column: SystemScores = {
    id: params.id,
    title: params.title,
    model: modelName,
    ran: true,
    failedHunks,
    budget: budget.rule,
    commentsPredicted: predictions.filter((prediction) => prediction.commented).length,
    scores,
  };
  return { column, answers };
}
