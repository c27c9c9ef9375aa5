import OpenAI from "openai";
import { measuredFetch } from "../observe/measure-work.js";
import { loadUnknownAdapters } from "./load-unknown-adapters.js";

/**
 * An OpenAI SDK client for an OpenAI-compatible server (vLLM in production). `timeoutMs` applies
 * to each attempt; the SDK retries timeouts, connection errors, 408/409/429 and 5xx answers
 * `maxRetries` times with exponential backoff and jitter (honouring `retry-after`). A request for
 * an adapter vLLM does not know yet loads it from `adaptersDir` first (see loadUnknownAdapters).
 */
export function createLlmClient(params: {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  maxRetries: number;
  /** ADAPTERS_DIR as vLLM sees it; unset, an unknown adapter fails with a message saying so. */
  adaptersDir?: string | undefined;
}): OpenAI {
  return new OpenAI({
    baseURL: params.baseUrl,
    apiKey: params.apiKey,
    timeout: params.timeoutMs,
    maxRetries: params.maxRetries,
    // Every attempt is measured, adapter loads included.
    fetch: loadUnknownAdapters({
      baseUrl: params.baseUrl,
      apiKey: params.apiKey,
      adaptersDir: params.adaptersDir,
      fetch: measuredFetch,
    }),
  });
}
