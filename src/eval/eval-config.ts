import { z } from "zod";
import { withoutEmptyValues } from "../config/without-empty-values.js";

/**
 * Environment of the evaluation beyond the review stage's (LLM_BASE_URL, LLM_API_KEY,
 * BASE_MODEL_NAME, LLM_CONCURRENCY, … from review-config.ts, which the evaluation parses as is).
 */
export const evalConfigSchema = z.object({
  SCORER_COMMAND: z
    .string()
    .trim()
    .min(1, {
      error: "SCORER_COMMAND is empty; unset it for python3 -m trainer score, or name a command",
    })
    .default("python3 -m trainer score")
    .describe(
      "Command that scores a pairs file (gets --pairs <file> appended; run in the repository root): the trainer's scorer",
    ),
});

export type EvalConfig = z.infer<typeof evalConfigSchema>;

/** Parses the evaluation's own variables; throws naming every bad one. */
export function parseEvalConfig(env: Record<string, string | undefined>): EvalConfig {
  const result = evalConfigSchema.safeParse(withoutEmptyValues(env));
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join(".")}: ${issue.message}`,
    );
    throw new Error(`Invalid evaluation configuration:\n${problems.join("\n")}`);
  }
  return result.data;
}
