import OpenAI from "openai";
import { measuredFetch } from "../observe/measure-work.js";

/**
 * An OpenAI SDK client for an OpenAI-compatible server (vLLM in production). `timeoutMs` applies
 * to each attempt; the SDK retries timeouts, connection errors, 408/409/429 and 5xx answers
 * `maxRetries` times with exponential backoff and jitter (honouring `retry-after`).
 */
export function createLlmClient(params: {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  maxRetries: number;
}): OpenAI {
  return new OpenAI({
    baseURL: params.baseUrl,
    apiKey: params.apiKey,
    timeout: params.timeoutMs,
    maxRetries: params.maxRetries,
    fetch: measuredFetch,
  });
}
