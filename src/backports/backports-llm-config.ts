import { z } from "zod";

/**
 * The LLM variables the backport triage reads. Unlike the review, an unset LLM_BASE_URL means
 * "no LLM" here (the report says so and the reasons come from the verdict model), not the
 * embedded server: a triage must run on a laptop with nothing else started.
 */
export const backportsLlmConfigSchema = z.object({
  LLM_BASE_URL: z
    .url({
      error: "LLM_BASE_URL must be the URL of an OpenAI-compatible API, e.g. http://vllm:8000/v1",
    })
    .optional(),
  LLM_API_KEY: z.string().default("not-needed"),
  BASE_MODEL_NAME: z.string().min(1).optional(),
  LLM_TIMEOUT_MS: z.coerce
    .number({ error: "LLM_TIMEOUT_MS must be a whole number of milliseconds, e.g. 60000" })
    .int()
    .positive()
    .default(60_000),
  LLM_MAX_RETRIES: z.coerce
    .number({ error: "LLM_MAX_RETRIES must be a whole number such as 2" })
    .int()
    .min(0)
    .max(10)
    .default(2),
});
export type BackportsLlmConfig = z.infer<typeof backportsLlmConfigSchema>;
