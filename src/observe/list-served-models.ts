import { z } from "zod";

const modelsAnswerSchema = z.object({ data: z.array(z.object({ id: z.string() })) });

/** What the LLM server said about the models it serves. */
export type ServedModels =
  | { ok: true; models: string[]; servesBaseModel: boolean }
  | { ok: false; problem: string };

/**
 * Asks the OpenAI-compatible server (vLLM) at `baseUrl` which models it serves
 * (`GET /v1/models`) and whether the base model is among them. Never throws: the answer says
 * what is wrong, naming LLM_BASE_URL / BASE_MODEL_NAME.
 */
export async function listServedModels(params: {
  baseUrl: string;
  apiKey: string;
  baseModel: string;
  timeoutMs?: number;
}): Promise<ServedModels> {
  const url = `${params.baseUrl.replace(/\/+$/, "")}/models`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${params.apiKey}` },
      signal: AbortSignal.timeout(params.timeoutMs ?? 2_000),
    });
  } catch (error) {
    return {
      ok: false,
      problem: `the LLM server at LLM_BASE_URL=${params.baseUrl} does not answer (${(error as Error).message}); start vLLM there or fix LLM_BASE_URL`,
    };
  }
  const parsed = modelsAnswerSchema.safeParse(
    response.ok ? await response.json().catch(() => undefined) : undefined,
  );
  if (!parsed.success) {
    return {
      ok: false,
      problem: `GET ${url} answered ${response.status} without a model list; is LLM_BASE_URL an OpenAI-compatible API ending in /v1?`,
    };
  }
  const models = parsed.data.data.map((model) => model.id);
  if (!models.includes(params.baseModel)) {
    return {
      ok: false,
      problem: `the LLM server serves ${models.join(", ") || "no model"}, not BASE_MODEL_NAME=${params.baseModel}; set BASE_MODEL_NAME to vLLM's --model`,
    };
  }
  return { ok: true, models, servesBaseModel: true };
}
