import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type OpenAI from "openai";
import type { Logger } from "pino";
import type { SamplingSettings } from "../llm/ask-model-for-hunk.js";
import { createConcurrencyLimit, mapWithLimit } from "../llm/limit-concurrency.js";
import { mostFrequentComment, retrievalOnlyComment } from "../retrieval/baseline-comments.js";
import type { PrecedentIndex } from "../retrieval/precedent-index.js";
import { askConsensusComment, type CandidateSource } from "../review/consensus-comment.js";
import type { ReviewPromptTemplates } from "../review/load-review-prompts.js";
import { failureReason } from "../review/read-hunks-with-model.js";
import type { HunkVerdict } from "../review/review-hunk.js";
import { modelNameOf, type ReviewModel } from "../review/review-model.js";
import type { TextEvaluation, TextSystemScores } from "./evaluation-scores.js";
import { commentText, predictCommentText } from "./predict-comment-text.js";
import type { HoldoutExample } from "./read-holdout.js";
import type { ScorerRunner } from "./run-scorer.js";

/** A system to ask for text: its model (and how the report names it), or why it is not run. */
export type TextSystemPlan = { id: string; title: string } & (
  | {
      model: ReviewModel;
      modelLabel?: string | undefined;
      /**
       * The same model's "where" answers (predictHoldout's `answers`), asked with the same
       * messages, limits and decoding: where one is a comment, it is this system's comment on
       * that hunk, and the hunk is not asked again (see evaluateText).
       */
      whereAnswers?: ReadonlyMap<HoldoutExample, HunkVerdict> | undefined;
    }
  | { reason: string }
);

/** The two text baselines a persona must beat (issue 20), computed from the precedent index. */
export const TEXT_BASELINES = ["retrieval-only", "most-frequent"] as const;

/**
 * "What would they say?" on every held-out hunk the reviewer commented on: each LLM system gives
 * a comment there (decoding held to a comment, apart from the where decision), and
 * the two baselines answer from the precedent index — retrieval-only (the nearest precedent's
 * comment, as the review retrieves it) and the reviewer's most frequent comment. One pairs file
 * (`system`, `gold`, `pred` per line) in `workDir`, scored per system: embedding similarity,
 * chrF, BLEU-4 with bootstrap intervals and shuffled floors.
 *
 * A hunk on which the system's "where" answer (`whereAnswers`) was already a comment is not asked
 * again: that answer is the comment it would give. Both requests carry the same messages, the
 * same limits and greedy decoding; the comment-only constraint differs from the review's only by
 * the `NO_COMMENT` branch, which a comment answer's first token (`L` or `R`) already left, so
 * every token the model chose is still admitted and still the most likely one: the same text.
 * Only the hunks it let pass or gave no answer for are asked, decoding held to a comment.
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
  /**
   * The review's consensus decoding (src/review/consensus-comment.ts): each LLM system's comment
   * is the consensus of its greedy answer, sampled answers and the hunk's precedents, and its
   * greedy answer is scored beside it as `<id>-greedy`. Without it, the greedy answer alone.
   */
  sampling?: SamplingSettings | undefined;
  scorer: ScorerRunner;
  workDir: string;
  log: Logger;
}): Promise<TextEvaluation> {
  const commented = params.examples.flatMap((example) =>
    example.gold.kind === "comment"
      ? [{ example, hunk: example.hunk, gold: example.gold.body }]
      : [],
  );
  const lines: string[] = [];
  const answered: {
    plan: TextSystemPlan & { model: ReviewModel };
    failedHunks: Record<string, number>;
    fromWhereAnswers: number;
    /** With consensus decoding: where each chosen comment came from. */
    chosenFrom?: Record<CandidateSource | "greedy (sampling failed)", number>;
    /** With consensus decoding: the hunks its greedy answer alone left without a comment. */
    greedyFailedHunks?: Record<string, number>;
  }[] = [];
  const systems: TextSystemScores[] = [];
  const write = (system: string, texts: readonly (string | undefined)[]) => {
    commented.forEach((pair, index) => {
      lines.push(JSON.stringify({ system, gold: pair.gold, pred: texts[index] ?? "" }));
    });
  };
  for (const plan of params.systems) {
    if (!("model" in plan)) continue;
    // The where answer's comment, where it was one; the other hunks are asked below.
    const known = commented.map((pair) => {
      const verdict = plan.whereAnswers?.get(pair.example);
      return verdict?.kind === "comment" ? verdict.body : undefined;
    });
    const toAsk = commented.filter((_pair, index) => known[index] === undefined);
    params.log.info(
      { system: plan.id, asked: toAsk.length, fromWhereAnswers: commented.length - toAsk.length },
      "eval: asking for a comment on the commented hunks its where answers let pass",
    );
    const { bodies: asked, failedHunks } = await predictCommentText({
      ...params,
      hunks: toAsk.map((pair) => pair.hunk),
      model: plan.model,
    });
    let next = 0;
    const greedy = known.map((body) => (body !== undefined ? body : asked[next++]));
    const greedyTexts = greedy.map((body) => (body === undefined ? undefined : commentText(body)));
    const sampling = params.sampling;
    if (!sampling) {
      write(plan.id, greedyTexts);
      answered.push({ plan, failedHunks, fromWhereAnswers: commented.length - toAsk.length });
      continue;
    }
    // The review's decoding: the consensus of the greedy answer, samples and precedents.
    const chosenFrom: Record<CandidateSource | "greedy (sampling failed)", number> = {
      greedy: 0,
      sample: 0,
      precedent: 0,
      "greedy (sampling failed)": 0,
    };
    const model = plan.model;
    const settled = await mapWithLimit({
      items: commented.map((pair, index) => ({ pair, greedy: greedy[index] })),
      limit: createConcurrencyLimit(params.concurrency),
      worker: ({ pair, greedy: body }) =>
        askConsensusComment({ ...params, model, hunk: pair.hunk, greedy: body, sampling }),
    });
    // Hunks left without a comment, once each: by the sampling's failure, else the greedy one's.
    const consensusFailed: Record<string, number> = {};
    const consensus = settled.map((result, index) => {
      if (result.status === "fulfilled" && result.value) {
        chosenFrom[result.value.source]++;
        return result.value.text;
      }
      if (greedyTexts[index] !== undefined) {
        if (result.status === "rejected") chosenFrom["greedy (sampling failed)"]++;
        return greedyTexts[index];
      }
      const reason =
        result.status === "rejected" ? failureReason(result.reason) : "no comment to choose";
      consensusFailed[reason] = (consensusFailed[reason] ?? 0) + 1;
      return undefined;
    });
    write(plan.id, consensus);
    write(`${plan.id}-greedy`, greedyTexts);
    answered.push({
      plan,
      failedHunks: consensusFailed,
      greedyFailedHunks: failedHunks,
      fromWhereAnswers: commented.length - toAsk.length,
      chosenFrom,
    });
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
      const model = plan.modelLabel ?? modelNameOf(plan.model);
      systems.push({
        id: plan.id,
        title: run.chosenFrom ? `${plan.title} (consensus)` : plan.title,
        model,
        ran: true,
        failedHunks: run.failedHunks,
        fromWhereAnswers: run.fromWhereAnswers,
        ...(run.chosenFrom ? { chosenFrom: run.chosenFrom } : {}),
        scores: await params.scorer({ pairsPath, system: plan.id }),
      });
      if (run.chosenFrom) {
        systems.push({
          id: `${plan.id}-greedy`,
          title: `${plan.title}, greedy answer alone`,
          model,
          ran: true,
          failedHunks: run.greedyFailedHunks ?? {},
          fromWhereAnswers: run.fromWhereAnswers,
          scores: await params.scorer({ pairsPath, system: `${plan.id}-greedy` }),
        });
      }
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
  return {
    pairs: commented.length,
    ...(params.sampling ? { sampling: params.sampling } : {}),
    systems,
  };
}
