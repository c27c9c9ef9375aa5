import { join } from "node:path";
import { z } from "zod";
import { adapterNameSchema } from "../../jobs/train-job.js";

/** The `fetch` the OpenAI SDK calls; wrapped here, so every caller of the client gains it. */
export type Fetch = (url: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * vLLM's answer to a request for a model it does not serve: 404 with an `ErrorResponse`,
 * `{"error": {"message": "The model `x` does not exist. …", "type": "NotFoundError", …}}`
 * (vLLM 0.32 `vllm/entrypoints/serve/engine/serving.py`, `_check_model`).
 */
const modelNotFoundSchema = z
  .object({ error: z.object({ message: z.string() }) })
  .transform((body) => body.error.message);

/** Generation endpoints whose `model` may name an adapter. */
const GENERATION_PATH = /\/(chat\/)?completions$/;

/**
 * Wraps `fetch` so that a generation request for an adapter vLLM does not know yet loads it and
 * is sent again, once. Works on any vLLM started with `VLLM_ALLOW_RUNTIME_LORA_UPDATING=true`,
 * whether or not its filesystem resolver plugin is active (it is not in the CPU build nor in the
 * official Docker image: vllm-project/vllm#18630): on vLLM's 404 "The model `<name>` does not
 * exist" it calls `POST <baseUrl>/load_lora_adapter` with `lora_path` = `adaptersDir/<name>`,
 * the folder the trainer published (vLLM must see the same path).
 *
 * Only versioned adapter names (`…-v<N>`) are ever loaded, never `load_inplace`: a name always
 * means the same weights, so vLLM's prefix cache cannot serve results of older weights.
 * Concurrent requests for the same unknown adapter share one load.
 */
export function loadUnknownAdapters(params: {
  baseUrl: string;
  apiKey: string;
  /** The folder vLLM reads adapters from; without it an unknown adapter fails with the fix. */
  adaptersDir: string | undefined;
  fetch?: Fetch;
}): Fetch {
  const send = params.fetch ?? globalThis.fetch;
  const loading = new Map<string, Promise<string | undefined>>();

  const loadOnce = (adapterName: string): Promise<string | undefined> => {
    const running = loading.get(adapterName);
    if (running) return running;
    const load = requestLoad({ ...params, send, adapterName }).finally(() =>
      loading.delete(adapterName),
    );
    loading.set(adapterName, load);
    return load;
  };

  return async (url, init) => {
    const response = await send(url, init);
    if (response.status !== 404) return response;
    const adapterName = adapterNameOfRequest(url, init);
    if (!adapterName) return response;
    const notFound = modelNotFoundSchema.safeParse(
      await response
        .clone()
        .json()
        .catch(() => null),
    );
    if (!notFound.success || !notFound.data.includes("does not exist")) return response;
    if (!params.adaptersDir) {
      return explain(
        `vLLM does not serve adapter "${adapterName}" and the bot cannot ask it to load one: set ADAPTERS_DIR to the folder vLLM reads adapters from (the training workers' ADAPTERS_DIR)`,
      );
    }
    const failure = await loadOnce(adapterName);
    if (failure) return explain(failure);
    return send(url, init);
  };
}

/** The adapter name a generation request asks for, if the request is one and names an adapter. */
function adapterNameOfRequest(
  url: string | URL | Request,
  init: RequestInit | undefined,
): string | undefined {
  const path = new URL(url instanceof Request ? url.url : url).pathname;
  if (!GENERATION_PATH.test(path) || typeof init?.body !== "string") return undefined;
  let model: unknown;
  try {
    model = (JSON.parse(init.body) as { model?: unknown }).model;
  } catch {
    return undefined;
  }
  return adapterNameSchema.safeParse(model).success ? (model as string) : undefined;
}

/** Asks vLLM to load one adapter; resolves to why it failed, or undefined when it is loaded. */
async function requestLoad(params: {
  baseUrl: string;
  apiKey: string;
  adaptersDir: string | undefined;
  send: Fetch;
  adapterName: string;
}): Promise<string | undefined> {
  const loraPath = join(params.adaptersDir ?? "", params.adapterName);
  let response: Response;
  try {
    response = await params.send(`${params.baseUrl.replace(/\/$/, "")}/load_lora_adapter`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${params.apiKey}` },
      body: JSON.stringify({ lora_name: params.adapterName, lora_path: loraPath }),
    });
  } catch (error) {
    return `vLLM did not answer the request to load adapter "${params.adapterName}": ${(error as Error).message}`;
  }
  if (response.ok) return undefined;
  const text = await response.text();
  // Another process (or an earlier request) loaded it meanwhile: the same name, the same weights.
  if (text.includes("already been loaded")) return undefined;
  if (response.status === 404 && text.includes('"Not Found"')) {
    return `vLLM has no /load_lora_adapter route, so adapter "${params.adapterName}" cannot be loaded at run time: start vLLM with VLLM_ALLOW_RUNTIME_LORA_UPDATING=true and --enable-lora`;
  }
  return `vLLM refused to load adapter "${params.adapterName}" from ${loraPath} (HTTP ${response.status}): ${text.slice(0, 500)}. Check that vLLM can read ADAPTERS_DIR at the same path and that the adapter's base_model_name_or_path equals vLLM's --model`;
}

/** A 404 the SDK will not retry, carrying what went wrong and how to fix it. */
function explain(message: string): Response {
  return new Response(JSON.stringify({ error: { message, type: "NotFoundError", code: 404 } }), {
    status: 404,
    headers: { "content-type": "application/json" },
  });
}
