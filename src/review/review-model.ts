import { z } from "zod";
import { versionLabel } from "../../jobs/adapter-names.js";
import { systemTurnSchema } from "../prompts/keep-system-turn.js";

/**
 * Which model speaks for the reviewer: their fine-tuned adapter (served by vLLM under its
 * versioned name), or the base model with few-shot examples from their own past comments.
 */
export const reviewModelSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("adapter"),
    /** The vLLM model name, `<owner>-<repo>-<login>-v<N>`. */
    name: z.string().min(1),
    version: z.number().int().positive(),
    /** How many of the reviewer's comments the adapter was trained on. */
    trainedOn: z.number().int().nonnegative(),
    /** Its holdout evaluation, quoted in the review, e.g. "holdout: comment-where F1 0.61, …". */
    evaluation: z.string().optional(),
    /**
     * How much of the system turn it was trained on (the profile's `tokenizer.system_turn`):
     * `first_paragraph` adapters are asked with the persona paragraph alone, as in training.
     */
    systemTurn: systemTurnSchema.optional(),
  }),
  z.object({
    kind: z.literal("few-shot"),
    baseModel: z.string().min(1),
    /**
     * The reviewer's own past hunks as user/assistant turns rendered exactly like the training
     * data (history stage's `loadFewShotExamples`): their comment, or NO_COMMENT.
     */
    examples: z.array(z.object({ user: z.string(), assistant: z.string() })),
    /** Why there is no adapter (too little history, training off, no GPU host in time…). */
    reason: z.string().optional(),
  }),
]);

export type ReviewModel = z.infer<typeof reviewModelSchema>;
export type FewShotExample = Extract<ReviewModel, { kind: "few-shot" }>["examples"][number];

/** The model name sent to the LLM server. */
export function modelNameOf(model: ReviewModel): string {
  return model.kind === "adapter" ? model.name : model.baseModel;
}

/** What goes into hunk fingerprints: a new adapter version reviews every hunk again. */
export function modelVersionOf(model: ReviewModel): string {
  return model.kind === "adapter"
    ? `adapter-${versionLabel(model.version)}`
    : `few-shot:${model.baseModel}`;
}

/** How a persona's comments are grouped by model: "v3" for adapter version 3, else "few-shot". */
export function modelVersionLabel(model: ReviewModel): string {
  return model.kind === "adapter" ? versionLabel(model.version) : "few-shot";
}
