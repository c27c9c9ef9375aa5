import { z } from "zod";

/**
 * How the bot asks an OpenAI-compatible server to hold the model to the answer format:
 * - `structured_outputs`: vLLM's field (`structured_outputs: { regex }`, since vLLM 0.10.2; 0.32
 *   and 0.33 accept it);
 * - `guided_regex`: the field of vLLM before 0.12, which removed it: newer servers ignore it
 *   silently and answer unconstrained (vllm-project/vllm#29326);
 * - `none`: servers that constrain nothing (the tolerant parser reads their answers).
 */
export const answerConstraintSchema = z.enum(["structured_outputs", "guided_regex", "none"], {
  error:
    "LLM_ANSWER_CONSTRAINT must be structured_outputs (vLLM ≥ 0.10.2), guided_regex (vLLM before 0.12) or none",
});
export type AnswerConstraint = z.infer<typeof answerConstraintSchema>;

/** The request-body fields that constrain decoding to `regex`, for a chat-completions request. */
export function answerConstraintFields(
  constraint: AnswerConstraint,
  regex: string,
): Record<string, unknown> {
  if (constraint === "structured_outputs") return { structured_outputs: { regex } };
  if (constraint === "guided_regex") return { guided_regex: regex };
  return {};
}
