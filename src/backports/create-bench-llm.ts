import { createLlmClient } from "../llm/create-llm-client.js";
import { askLlmForVerdict, type BackportPrompts, type Verdict } from "./ask-llm-for-verdict.js";
import { BackportInputError } from "./backport-input-error.js";
import type { BackportsLlmConfig } from "./backports-llm-config.js";
import type { CommitRecord } from "./commit-record.js";

/**
 * The bench's LLM column: asks the LLM for its own verdict on a commit; an answer it cannot read
 * counts as "uncertain" (not a backport), so a weak model is scored as it would serve.
 *
 * @throws BackportInputError when LLM_BASE_URL or the model name is missing.
 */
export function createBenchLlm(params: {
  config: BackportsLlmConfig;
  model?: string | undefined;
  prompts: BackportPrompts;
}): (record: CommitRecord) => Promise<Verdict> {
  const { config } = params;
  const model = params.model ?? config.BASE_MODEL_NAME;
  if (!config.LLM_BASE_URL || !model) {
    throw new BackportInputError(
      "--llm needs LLM_BASE_URL (an OpenAI-compatible server) and --model or BASE_MODEL_NAME",
    );
  }
  const client = createLlmClient({
    baseUrl: config.LLM_BASE_URL,
    apiKey: config.LLM_API_KEY,
    timeoutMs: config.LLM_TIMEOUT_MS,
    maxRetries: config.LLM_MAX_RETRIES,
  });
  return async (record) => {
    try {
      const answer = await askLlmForVerdict({
        client,
        model,
        prompts: params.prompts,
        context: { repo: record.repo, dev: "the development branch", stable: record.stable_branch },
        commit: record,
      });
      return answer.verdict;
    } catch (error) {
      if (/no VERDICT line/.test((error as Error).message)) return "uncertain";
      throw error;
    }
  };
}
