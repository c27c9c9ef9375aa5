import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type OpenAI from "openai";
import type { Logger } from "pino";
import { mostFrequentComment, retrievalOnlyComment } from "../retrieval/baseline-comments.js";
import type { PrecedentIndex } from "../retrieval/precedent-index.js";
import type { ReviewPromptTemplates } from "../review/load-review-prompts.js";
import { modelNameOf, type ReviewModel } from "../review/review-model.js";
import type { TextEvaluation, TextSystemScores } from "./evaluation-scores.js";
import { predictCommentText } from "./predict-comment-text.js";
import type { HoldoutExample } from "./read-holdout.js";
import type { ScorerRunner } from "./run-scorer.js";

/** A system to ask for text: its model (and how the report names it), or why it is not run. */
export type TextSystemPlan = { id: string; title: string } & (
  | { model: ReviewModel; modelLabel?: string | undefined }
  | { reason: string }
);

/** The two text baselines a persona must beat (issue 20), computed from the precedent index. */
export const TEXT_BASELINES = ["retrieval-only", "most-frequent"] as const;

/**
 * "What would they say?" on every held-out hunk the reviewer commented on: each LLM system is
 * asked for a comment there (decoding held to a comment, apart from the where decision), and
 * the two baselines answer from the precedent index — retrieval-only (the nearest precedent's
 * comment, as the review retrieves it) and the reviewer's most frequent comment. One pairs file
 * (`system`, `gold`, `pred` per line) in `workDir`, scored per system: embedding similarity,
 * chrF, BLEU-4 with bootstrap intervals and shuffled floors.
 */
export async function evaluateText(params: {
  examples: readonly HoldoutExample[];
  systems: readonly TextSystemPlan[];
  /** The reviewer's precedent index (training part); without it the baselines are not run. */
  index: PrecedentIndex | undefined;
  client: OpenAI;
  templates: ReviewPromptTemplates;
  reviewerLogin: string;
  repoFullName: string;
  concurrency: number;
  scorer: ScorerRunner;
  workDir: string;
  log: Logger;
}): Promise<TextEvaluation> {
  const commented = params.examples.flatMap((example) =>
    example.gold.kind === "comment" ? [{ hunk: example.hunk, gold: example.gold.body }] : [],
  );
  const lines: string[] = [];
  const answered: {
    plan: TextSystemPlan & { model: ReviewModel };
    failedHunks: Record<string, number>;
  }[] = [];
  const systems: TextSystemScores[] = [];
  const write = (system: string, texts: readonly (string | undefined)[]) => {
    commented.forEach((pair, index) => {
      lines.push(JSON.stringify({ system, gold: pair.gold, pred: texts[index] ?? "" }));
    });
  };
  for (const plan of params.systems) {
    if (!("model" in plan)) continue;
    params.log.info({ system: plan.id }, "eval: asking for a comment on every commented hunk");
    const { texts, failedHunks } = await predictCommentText({
      ...params,
      hunks: commented.map((pair) => pair.hunk),
      model: plan.model,
    });
    write(plan.id, texts);
    answered.push({ plan, failedHunks });
  }
  const index = params.index;
  const hasIndex = index !== undefined && index.precedents.length > 0;
  if (hasIndex) {
    write(
      "retrieval-only",
      commented.map((pair) => retrievalOnlyComment({ index, hunk: pair.hunk })),
    );
    const frequent = mostFrequentComment(index);
    write(
      "most-frequent",
      commented.map(() => frequent),
    );
  }
  const pairsPath = join(params.workDir, "text-pairs.jsonl");
  await writeFile(pairsPath, `${lines.join("\n")}\n`, { mode: 0o600 });
  const notRun = (id: string, title: string, reason: string): TextSystemScores => ({
    id,
    title,
    model: null,
    ran: false,
    reason,
  });
  const noPairs = "no held-out hunk the reviewer commented on";
  for (const plan of params.systems) {
    const run = answered.find((entry) => entry.plan === plan);
    if (!("model" in plan) || !run) {
      systems.push(notRun(plan.id, plan.title, "reason" in plan ? plan.reason : "not run"));
    } else if (commented.length === 0) {
      systems.push(notRun(plan.id, plan.title, noPairs));
    } else {
      systems.push({
        id: plan.id,
        title: plan.title,
        model: plan.modelLabel ?? modelNameOf(plan.model),
        ran: true,
        failedHunks: run.failedHunks,
        scores: await params.scorer({ pairsPath, system: plan.id }),
      });
    }
  }
  const baselineTitles: Record<(typeof TEXT_BASELINES)[number], string> = {
    "retrieval-only": "retrieval-only (nearest precedent)",
    "most-frequent": "most frequent comment",
  };
  for (const id of TEXT_BASELINES) {
    if (!hasIndex) {
      systems.push(
        notRun(id, baselineTitles[id], "no precedent index (collect the history first)"),
      );
    } else if (commented.length === 0) {
      systems.push(notRun(id, baselineTitles[id], noPairs));
    } else {
      systems.push({
        id,
        title: baselineTitles[id],
        model: null,
        ran: true,
        failedHunks: {},
        scores: await params.scorer({ pairsPath, system: id }),
      });
    }
  }
  return { pairs: commented.length, systems };
}
