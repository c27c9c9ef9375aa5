import { z } from "zod";
import { FEATURE_VERSION } from "./extract-commit-features.js";
import { FEATURE_DIMENSION, fnv1a } from "./hash-features.js";

const linearPartSchema = z.object({
  intercept: z.number(),
  threshold: z.number(),
  weights: z.record(z.string().regex(/^\d+$/), z.number()),
});
const constantPartSchema = z.object({ constant: z.number(), threshold: z.number() });

/** The model `python -m trainer backports fit` writes (trainer/backports/fit.py). */
export const verdictModelSchema = z.object({
  format: z.literal("backports-verdict-model/1"),
  feature_version: z.string(),
  dimension: z.number().int().positive(),
  trained_on: z.object({
    rows: z.number().int(),
    backported: z.number().int(),
    waited: z.number().int(),
    until_ms: z.number().nullable(),
  }),
  selection: z.object({ c: z.number() }).loose(),
  backport: linearPartSchema,
  wait: z.union([linearPartSchema, constantPartSchema]),
});
export type VerdictModel = z.infer<typeof verdictModelSchema>;
type LinearPart = z.infer<typeof linearPartSchema>;

/** What the model says of one commit. */
export interface ModelJudgement {
  verdict: "yes" | "wait" | "no";
  pBackport: number;
  pWait: number;
  /** The named features that pushed hardest, strongest first, with their signed contribution. */
  topFeatures: { name: string; contribution: number }[];
}

/**
 * Parses a model and checks it was fitted on the features this code extracts.
 *
 * @throws Error naming the mismatch and the fix (refit).
 */
export function parseVerdictModel(json: unknown, source: string): VerdictModel {
  const parsed = verdictModelSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `${source} is not a backport verdict model: ${parsed.error.issues[0]?.message}`,
    );
  }
  if (
    parsed.data.feature_version !== FEATURE_VERSION ||
    parsed.data.dimension !== FEATURE_DIMENSION
  ) {
    throw new Error(
      `${source} was fitted on ${parsed.data.feature_version} (${parsed.data.dimension} slots); this code extracts ${FEATURE_VERSION} (${FEATURE_DIMENSION}): refit it`,
    );
  }
  return parsed.data;
}

function sigmoid(total: number): number {
  if (total >= 0) return 1 / (1 + Math.exp(-total));
  const exp = Math.exp(total);
  return exp / (1 + exp);
}

function linearSum(part: LinearPart, slots: Record<string, number>): number {
  let total = part.intercept;
  for (const [slot, value] of Object.entries(slots)) total += (part.weights[slot] ?? 0) * value;
  return total;
}

/** The probability of a linear part for hashed slots (the sum trainer/backports/fit.py's `score` computes). */
export function scoreSlots(part: LinearPart, slots: Record<string, number>): number {
  return sigmoid(linearSum(part, slots));
}

const TOP_FEATURES = 8;

/** Judges one commit from its named features: backport or not, then now or after a wait. */
export function applyVerdictModel(
  model: VerdictModel,
  features: Map<string, number>,
): ModelJudgement {
  const slots: Record<string, number> = {};
  const contributions: { name: string; contribution: number }[] = [];
  for (const [name, value] of features) {
    const slot = String(fnv1a(name) % FEATURE_DIMENSION);
    slots[slot] = (slots[slot] ?? 0) + value;
    const weight = model.backport.weights[slot];
    if (weight !== undefined) contributions.push({ name, contribution: weight * value });
  }
  const pBackport = scoreSlots(model.backport, slots);
  const pWait = "constant" in model.wait ? model.wait.constant : scoreSlots(model.wait, slots);
  contributions.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  const backport = pBackport >= model.backport.threshold;
  return {
    verdict: !backport ? "no" : pWait >= model.wait.threshold ? "wait" : "yes",
    pBackport,
    pWait,
    topFeatures: contributions.slice(0, TOP_FEATURES),
  };
}
