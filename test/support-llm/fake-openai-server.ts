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
  /** vLLM's decoding constraint (0.12 and later). */
  structured_outputs?: { regex?: string; json?: unknown; choice?: string[] };
  /** The same in older vLLM releases. */
  guided_regex?: string;
}

/** How the stand-in answers one request. */
export type FakeLlmAnswer =
  | {
      /** The assistant's text. */
      text: string;
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
 * A real HTTP server speaking OpenAI's chat-completions protocol as vLLM does: `GET /v1/models`
 * and `POST /v1/chat/completions`, with `logprobs.content[].top_logprobs` when `logprobs: true`,
 * honouring vLLM's `structured_outputs.regex` (or the older `guided_regex`): a scripted answer
 * the regex does not admit is refused, as a constrained server could never produce it.
 * Each test programs the answers (text, delay, an HTTP error, or a hang).
 */
export async function startFakeOpenAiServer(handler: FakeLlmHandler): Promise<FakeOpenAiServer> {
  let current = handler;
  const requests: ChatRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (req.method === "GET" && url.pathname === "/v1/models") {
      return sendJson(res, 200, { object: "list", data: [{ id: "base", object: "model" }] });
    }
    if (req.method !== "POST" || url.pathname !== "/v1/chat/completions") {
      return sendJson(res, 404, { error: { message: `no route ${req.method} ${url.pathname}` } });
    }
    const request = JSON.parse(await readBody(req)) as ChatRequest;
    requests.push(request);
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
      // A real server constrained to a regex can only produce text it matches: a scripted
      // answer that does not is a test bug, or a constraint that would break the format.
      const regex = request.structured_outputs?.regex ?? request.guided_regex;
      if (regex !== undefined && !new RegExp(`^(?:${regex})$`).test(answer.text)) {
        return sendJson(res, 400, {
          error: {
            message: `stand-in: the scripted answer ${JSON.stringify(answer.text)} cannot be produced under the requested regex ${regex}`,
            type: "BadRequestError",
          },
        });
      }
      sendJson(res, 200, completion(request, answer));
    } finally {
      inFlight--;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
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

/** The last user turn of a request: for the review stage, the hunk being reviewed. */
export function lastUserMessage(request: ChatRequest): string {
  return request.messages.filter((message) => message.role === "user").at(-1)?.content ?? "";
}

const TOKEN = /[A-Za-z]+|\d+|\s+|[^A-Za-z\d\s]/g;

function completion(request: ChatRequest, answer: { text: string; noCommentProbability?: number }) {
  const tokens = answer.text.match(TOKEN) ?? [];
  const pNoComment = answer.noCommentProbability ?? 0.5;
  const saysNoComment = answer.text.trim().startsWith("NO");
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
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: answer.text },
        logprobs: request.logprobs ? { content: logprobContent } : null,
        finish_reason: "stop",
      },
    ],
    usage: {
      prompt_tokens: 100,
      completion_tokens: tokens.length,
      total_tokens: 100 + tokens.length,
    },
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
