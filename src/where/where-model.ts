import { z } from "zod";
import type { WhereMode as ReviewWhereMode } from "../review/where-plan.js";
import { reviewerSummarySchema } from "./summarise-reviewer-history.js";

/** Cross-validated figures of the chosen threshold (time-ordered folds of the training part). */
const cvFiguresSchema = z.object({
  folds: z.number().int(),
  rows: z.number().int(),
  positives: z.number().int(),
  f1: z.number().nullable(),
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  prauc: z.number().nullable(),
});

/**
 * The where-model file `python -m trainer where fit` writes (trainer/where/fit.py): a logistic
 * regression over named features, a sigmoid calibration fitted on time-ordered out-of-fold
 * scores, and either a threshold chosen on those scores or, with too little history, the rate
 * budget. The bot adds the reviewer's history summary before storing it.
 */
/** `review.where` in `.github/tech-lead-bot.yml`: the threshold a review uses. */
export const whereModeSchema = z.enum(["balanced", "quiet"]) satisfies z.ZodType<ReviewWhereMode>;
export type WhereMode = ReviewWhereMode;

const whereDecisionSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("threshold"),
    threshold: z.number(),
    note: z.string(),
    /**
     * Balanced mode: a pull request where fewer hunks reach the threshold speaks on this many of
     * its most likely ones (the fit chose the threshold under the same rule). Absent: none.
     */
    minPerPull: z.number().int().nonnegative().optional(),
  }),
  z.object({ kind: z.literal("rate-budget"), rate: z.number(), reason: z.string() }),
]);
export type WhereModelDecision = z.infer<typeof whereDecisionSchema>;

export const whereModelSchema = z.object({
  format: z.literal("tech-lead-bot/where-model"),
  formatVersion: z.literal(1),
  featureSpec: z.string(),
  /** The mode `decision` is for (the fit's --mode). */
  mode: whereModeSchema,
  intercept: z.number(),
  weights: z.record(z.string(), z.number()),
  /** P = 1 / (1 + exp(−(slope × z + offset))), z the regression's decision value. */
  calibration: z.object({ kind: z.literal("sigmoid"), slope: z.number(), offset: z.number() }),
  decision: whereDecisionSchema,
  /** The decision of each mode, from the same cross-validation (a repository picks one). */
  decisions: z.object({ balanced: whereDecisionSchema, quiet: whereDecisionSchema }).optional(),
  cv: cvFiguresSchema.nullable(),
  hyperParameters: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  topFeatures: z.array(z.object({ name: z.string(), weight: z.number() })),
  trainedOn: z.object({
    rows: z.number().int(),
    pulls: z.number().int(),
    positives: z.number().int(),
    commentedPulls: z.number().int(),
  }),
  summary: reviewerSummarySchema.optional(),
});
export type WhereModel = z.infer<typeof whereModelSchema>;
