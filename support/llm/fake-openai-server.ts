import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A chat-completions request as the stand-in received it. */
export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  logprobs?: boolean;
  top_logprobs?: number;
  max_tokens?: number;
  temperature?: number;
  /** How many answers to sample (OpenAI's `n`; vLLM returns that many choices). */
  n?: number;
  top_p?: number;
  /** vLLM's per-request sampling seed. */
  seed?: number;
  /** Where generation ends (OpenAI's field; vLLM takes a string or a list). */
  stop?: string | string[];
  /** vLLM's decoding constraint (0.12 and later). */
  structured_outputs?: { regex?: string; json?: unknown; choice?: string[] };
  /** The same in older vLLM releases. */
  guided_regex?: string;
}

/** How the stand-in answers one request. */
export type FakeLlmAnswer =
  | {
      /**
       * What the model would generate if nothing stopped it; the stand-in ends it as vLLM would,
       * at the request's first `stop` string (left out of the text) or after `max_tokens` tokens.
       */
      text: string;
      /**
       * With `n` > 1: the sampled answers, one per choice in turn (repeated when `n` is larger);
       * without them every choice is `text`.
       */
      samples?: string[];
      /** P(first token starts "NO_COMMENT"), reported through `top_logprobs`; default 0.5. */
      noCommentProbability?: number;
      delayMs?: number;
    }
  | { status: number; message?: string; delayMs?: number }
  | { hang: true };

export type FakeLlmHandler = (request: ChatRequest) => FakeLlmAnswer | Promise<FakeLlmAnswer>;

export interface FakeOpenAiServer {
  /** `http://127.0.0.1:PORT/v1`, for LLM_BASE_URL. */
  baseUrl: string;
  /** Every chat-completions request, in arrival order. */
  requests: ChatRequest[];
  /** Requests being answered right now, and the most at once. */
  inFlight(): number;
  maxInFlight(): number;
  setHandler(handler: FakeLlmHandler): void;
  close(): Promise<void>;
}

/**
 * Which models the stand-in serves, as a vLLM started with `--enable-lora` does: the base model,
 * plus adapters loaded at run time through `POST /v1/load_lora_adapter` when
 * `runtimeLoraUpdating` (vLLM's VLLM_ALLOW_RUNTIME_LORA_UPDATING=true). Without this option the
 * stand-in answers for any model name.
 */
export interface FakeVllmModels {
  baseModel: string;
  runtimeLoraUpdating: boolean;
}

/**
 * A real HTTP server speaking OpenAI's chat-completions protocol as vLLM does: `GET /v1/models`
 * and `POST /v1/chat/completions`, with `logprobs.content[].top_logprobs` when `logprobs: true`,
 * honouring `stop` and `max_tokens` as vLLM does (generation ends at the first stop string, which
 * the text leaves out while its token is counted, or after max_tokens tokens, with
 * `finish_reason` "stop" or "length"), and vLLM's `structured_outputs.regex` (or the older
 * `guided_regex`): a scripted answer whose generated part the regex does not admit is refused, as
 * a constrained server could never produce it.
 * Each test programs the answers (text, delay, an HTTP error, or a hang). With `models` it also
 * answers unknown model names and adapter loads with vLLM 0.32's own status codes and bodies
 * (`vllm/entrypoints/serve/engine/serving.py` `_check_model`,
 * `vllm/entrypoints/openai/models/serving.py` `load_lora_adapter`), checked against a real
 * vLLM CPU server.
 */
export async function startFakeOpenAiServer(
  handler: FakeLlmHandler,
  models?: FakeVllmModels,
): Promise<FakeOpenAiServer & { loadRequests: { lora_name: string; lora_path: string }[] }> {
  let current = handler;
  const requests: ChatRequest[] = [];
  const loadRequests: { lora_name: string; lora_path: string }[] = [];
  const loadedAdapters = new Set<string>();
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (req.method === "GET" && url.pathname === "/v1/models") {
      return sendJson(res, 200, { object: "list", data: [{ id: "base", object: "model" }] });
    }
    if (models?.runtimeLoraUpdating && url.pathname === "/v1/load_lora_adapter") {
      const load = JSON.parse(await readBody(req)) as { lora_name: string; lora_path: string };
      loadRequests.push(load);
      return loadAdapter(res, load, loadedAdapters);
    }
    if (req.method !== "POST" || url.pathname !== "/v1/chat/completions") {
      // FastAPI's answer for a route vLLM does not have.
      return sendJson(res, 404, { detail: "Not Found" });
    }
    const request = JSON.parse(await readBody(req)) as ChatRequest;
    requests.push(request);
    if (models && request.model !== models.baseModel && !loadedAdapters.has(request.model)) {
      return sendJson(res, 404, {
        error: {
          message: `The model \`${request.model}\` does not exist. Valid aliases: <path>.`,
          type: "NotFoundError",
          param: "model",
          code: 404,
        },
      });
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const answer = await current(request);
      if ("hang" in answer) {
        // Never answer; the client's timeout must give up. close() drops the socket.
        await new Promise<void>((resolve) => res.on("close", resolve));
        return;
      }
      if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
      if ("status" in answer) {
        return sendJson(res, answer.status, {
          error: { message: answer.message ?? "stand-in error", type: "server_error" },
        });
      }
      const n = request.n ?? 1;
      const scripted = Array.from({ length: n }, (_unused, index) =>
        n > 1 && answer.samples?.length ? answer.samples[index % answer.samples.length] : undefined,
      ).map((sample) => sample ?? answer.text);
      const choices = scripted.map((text) => generate(request, text));
      // A real server constrained to a regex can only produce text it matches: a scripted
      // answer that does not is a test bug, or a constraint that would break the format. What
      // is checked is what the model generated, the stop string included (the model wrote it,
      // so the constraint had to admit it). An answer cut at max_tokens is a prefix, which the
      // stand-in cannot check against a regex; it is let through.
      const regex = request.structured_outputs?.regex ?? request.guided_regex;
      const refused = choices.find(
        (generated) =>
          regex !== undefined &&
          generated.finishReason !== "length" &&
          !new RegExp(`^(?:${regex})$`).test(generated.written),
      );
      if (refused) {
        return sendJson(res, 400, {
          error: {
            message: `stand-in: the scripted answer ${JSON.stringify(refused.written)} cannot be produced under the requested regex ${regex}`,
            type: "BadRequestError",
          },
        });
      }
      sendJson(res, 200, completion(request, answer, choices));
    } finally {
      inFlight--;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    loadRequests,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    setHandler(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** vLLM's adapter load: the folder must hold an adapter; a loaded name is never replaced. */
function loadAdapter(
  res: ServerResponse,
  load: { lora_name: string; lora_path: string },
  loaded: Set<string>,
): void {
  const error = (status: number, message: string, type: string) =>
    sendJson(res, status, { error: { message, type, param: null, code: status } });
  if (loaded.has(load.lora_name)) {
    error(
      400,
      `The lora adapter '${load.lora_name}' has already been loaded. If you want to load the adapter in place, set 'load_inplace' to True.`,
      "InvalidUserInput",
    );
    return;
  }
  if (!existsSync(`${load.lora_path}/adapter_config.json`)) {
    error(
      404,
      `Loading lora ${load.lora_name} failed: No adapter found for ${load.lora_path}`,
      "NotFoundError",
    );
    return;
  }
  loaded.add(load.lora_name);
  res.writeHead(200);
  res.end(`Success: LoRA adapter '${load.lora_name}' added successfully.`);
}

/** The last user turn of a request: for the review stage, the hunk being reviewed. */
export function lastUserMessage(request: ChatRequest): string {
  return request.messages.filter((message) => message.role === "user").at(-1)?.content ?? "";
}

const TOKEN = /[A-Za-z]+|\d+|\s+|[^A-Za-z\d\s]/g;

/** What the model generates for a scripted text under the request's `stop` and `max_tokens`. */
interface Generated {
  /** The generated tokens, the one holding a stop string included. */
  tokens: string[];
  /** The answer's text: the tokens' text up to the stop string. */
  text: string;
  /** What the decoding constraint had to admit: the text through the stop string. */
  written: string;
  finishReason: "stop" | "length";
}

/**
 * Generation as vLLM runs it, one token at a time: after each token the text so far is searched
 * for the stop strings; the first one found ends the answer there (vLLM's default
 * include_stop_str_in_output=false leaves it out of the text). max_tokens tokens without one end
 * it with "length". A scripted text that runs out is the model's end-of-sequence.
 */
function generate(request: ChatRequest, scripted: string): Generated {
  const stops = (typeof request.stop === "string" ? [request.stop] : (request.stop ?? [])).filter(
    (stop) => stop.length > 0,
  );
  const all = scripted.match(TOKEN) ?? [];
  const tokens: string[] = [];
  let text = "";
  for (const token of all) {
    if (request.max_tokens !== undefined && tokens.length >= request.max_tokens) {
      return { tokens, text, written: text, finishReason: "length" };
    }
    tokens.push(token);
    text += token;
    const found = stops
      .map((stop) => ({ at: text.indexOf(stop), stop }))
      .filter(({ at }) => at >= 0)
      .sort((a, b) => a.at - b.at)[0];
    if (found) {
      return {
        tokens,
        text: text.slice(0, found.at),
        written: text.slice(0, found.at + found.stop.length),
        finishReason: "stop",
      };
    }
  }
  return { tokens, text, written: text, finishReason: "stop" };
}

function completion(
  request: ChatRequest,
  answer: { noCommentProbability?: number },
  choices: readonly Generated[],
) {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    choices: choices.map((generated, index) => choice(request, answer, generated, index)),
    usage: {
      prompt_tokens: 100,
      completion_tokens: choices.reduce((sum, generated) => sum + generated.tokens.length, 0),
      total_tokens: 100 + choices.reduce((sum, generated) => sum + generated.tokens.length, 0),
    },
  };
}

function choice(
  request: ChatRequest,
  answer: { noCommentProbability?: number },
  generated: Generated,
  index: number,
) {
  const { tokens } = generated;
  const answerText = generated.text;
  const pNoComment = answer.noCommentProbability ?? 0.5;
  const saysNoComment = answerText.trim().startsWith("NO");
  const logprobContent = tokens.map((token, index) => {
    if (index > 0)
      return {
        token,
        logprob: -0.01,
        bytes: null,
        top_logprobs: [{ token, logprob: -0.01, bytes: null }],
      };
    const chosen = Math.log(Math.max(1e-9, saysNoComment ? pNoComment : 1 - pNoComment));
    const other = Math.log(Math.max(1e-9, saysNoComment ? 1 - pNoComment : pNoComment));
    return {
      token,
      logprob: chosen,
      bytes: null,
      top_logprobs: [
        { token, logprob: chosen, bytes: null },
        { token: saysNoComment ? "R" : "NO", logprob: other, bytes: null },
      ].sort((a, b) => b.logprob - a.logprob),
    };
  });
  return {
    index,
    message: { role: "assistant", content: answerText },
    logprobs: request.logprobs ? { content: logprobContent } : null,
    finish_reason: generated.finishReason,
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
