import { z } from "zod";
import { answerConstraintSchema } from "../llm/answer-constraint.js";

const positiveInt = (name: string, fix: string) =>
  z.coerce
    .number({ error: `${name} must be a whole number; ${fix}` })
    .int({ error: `${name} must be a whole number; ${fix}` })
    .positive({ error: `${name} must be greater than 0; ${fix}` });

/** `LLM_COMMENT_SAMPLES`'s default: the consensus of 8 samples (see consensus-comment.ts). */
export const DEFAULT_COMMENT_SAMPLES = 8;

/**
 * Environment variables of the review stage. The entry points' loaders (src/start/) merge this
 * schema, so a bad value stops the process at start-up naming the variable.
 */
export const reviewConfigSchema = z.object({
  LLM_BASE_URL: z
    .url({
      error:
        "LLM_BASE_URL must be the URL of an OpenAI-compatible API, e.g. http://vllm:8000/v1 (vLLM serves it under /v1)",
    })
    // vLLM's own default address, so the bot starts before a GPU host exists; reviews then
    // fail with a connection error in the status comment until LLM_BASE_URL points at vLLM.
    .default("http://127.0.0.1:8000/v1")
    .describe(
      "Base URL of the OpenAI-compatible server (vLLM) that serves the base model and every adapter",
    ),
  LLM_API_KEY: z
    .string()
    .default("not-needed")
    .describe("API key sent to LLM_BASE_URL; vLLM ignores it unless started with --api-key"),
  BASE_MODEL_NAME: z
    .string()
    .min(1, { error: "BASE_MODEL_NAME must name the model vLLM serves (its --model value)" })
    .default("meta-llama/Meta-Llama-3-8B-Instruct")
    .describe("Model used for few-shot reviews when a reviewer has no adapter yet (vLLM --model)"),
  LLM_CONCURRENCY: positiveInt(
    "LLM_CONCURRENCY",
    "set it to how many hunks may be sent at once, e.g. 16",
  )
    .max(256, { error: "LLM_CONCURRENCY above 256 would only queue inside vLLM; use 256 or less" })
    .default(16)
    .describe("How many hunks are sent to the LLM at the same time"),
  LLM_TIMEOUT_MS: positiveInt("LLM_TIMEOUT_MS", "e.g. 60000 for one minute per hunk")
    .default(60_000)
    .describe("Time limit of one LLM request (one hunk) in milliseconds, per attempt"),
  LLM_MAX_RETRIES: z.coerce
    .number({ error: "LLM_MAX_RETRIES must be a whole number such as 2" })
    .int()
    .min(0, { error: "LLM_MAX_RETRIES must be 0 or more" })
    .max(10, {
      error: "LLM_MAX_RETRIES above 10 makes a broken LLM look like a hang; use 10 or less",
    })
    .default(2)
    .describe("Retries with exponential backoff after an LLM timeout, 429 or 5xx"),
  LLM_MAX_HUNK_CHARS: positiveInt("LLM_MAX_HUNK_CHARS", "e.g. 12000 (about 3,500 tokens)")
    .default(12_000)
    .describe(
      "Largest hunk text sent in one request; bigger hunks are split, then trimmed with a note",
    ),
  MAX_COMMENTS_PER_REVIEW: positiveInt("MAX_COMMENTS_PER_REVIEW", "use 30 or less")
    .max(30, {
      error:
        "MAX_COMMENTS_PER_REVIEW cannot exceed 30: bigger bursts trip GitHub's abuse detection",
    })
    .default(30)
    .describe("Upper bound of inline comments in one review (GitHub abuse limits; 30 at most)"),
  MAX_HUNKS_PER_REVIEW: positiveInt("MAX_HUNKS_PER_REVIEW", "e.g. 1000")
    .default(1000)
    .describe("Hunks read per review at most; the rest are reported as skipped"),
  LLM_ANSWER_CONSTRAINT: answerConstraintSchema
    .default("structured_outputs")
    .describe(
      "How to hold the model to the answer format: structured_outputs (vLLM ≥ 0.10.2), guided_regex (vLLM before 0.12) or none",
    ),
  LLM_COMMENT_SAMPLES: positiveInt(
    "LLM_COMMENT_SAMPLES",
    "e.g. 8, or 1 to post the model's greedy answer",
  )
    .max(32, {
      error: "LLM_COMMENT_SAMPLES above 32 costs more than it can change; use 32 or less",
    })
    // On by default: over its greedy answers the adapter's consensus raised chrF for all three
    // secp256k1 reviewers measured, and embedding similarity for jonasnick and real-or-random (sipa:
    // lower in one run, higher in another); the rule was fixed before the deciding run
    // (docs/fidelity/README.md, "All three with the consensus").
    .default(DEFAULT_COMMENT_SAMPLES)
    .describe(
      "Answers sampled for each comment a review posts; with more than 1, the one that agrees most with the others, the greedy answer and the reviewer's nearest past comments is posted (default 8; 1: the greedy answer)",
    ),
  STATUS_UPDATE_INTERVAL_MS: positiveInt("STATUS_UPDATE_INTERVAL_MS", "e.g. 15000")
    .default(15_000)
    .describe("Least time between two progress edits of the status comment during a review"),
});

export type ReviewConfig = z.infer<typeof reviewConfigSchema>;
