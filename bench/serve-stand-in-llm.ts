/**
 * The bench's stand-in LLM, run as its own process (as vLLM is), so its CPU time does not land
 * on the bot's event loop. Answers every chat completion after LLM_DELAY_MS, commenting on the
 * hunk's first changed line (or with a sentence for the review's summary request). Talks to the
 * parent over IPC: sends `{ baseUrl }` when listening, answers "stats" with
 * `{ hunkRequests, maxInFlight, firstRequestAt, lastAnswerAt }`, "reset" forgets the times, and
 * exits on "close".
 */
import {
  type ChatRequest,
  lastUserMessage,
  startFakeOpenAiServer,
} from "../support/llm/fake-openai-server.js";

const delayMs = Number(process.env.LLM_DELAY_MS ?? 200);
const isHunkRequest = (request: ChatRequest) => lastUserMessage(request).startsWith("File: ");
// When the model was first asked and last answered (bench:mention subtracts that span).
let firstRequestAt: number | undefined;
let lastAnswerAt: number | undefined;
const server = await startFakeOpenAiServer((request) => {
  firstRequestAt ??= Date.now();
  lastAnswerAt = Date.now() + delayMs;
  if (!isHunkRequest(request)) {
    return { text: "This pull request marks one line in each bench file as changed.", delayMs };
  }
  const anchor = /^([RL]\d+) +[+-]/m.exec(lastUserMessage(request))?.[1] ?? "R1";
  return {
    text: `${anchor}: Is this change covered by a test?`,
    noCommentProbability: 0.3,
    delayMs,
  };
});
process.send?.({ baseUrl: server.baseUrl });
process.on("message", async (message) => {
  if (message === "stats") {
    process.send?.({
      hunkRequests: server.requests.filter(isHunkRequest).length,
      maxInFlight: server.maxInFlight(),
      firstRequestAt,
      lastAnswerAt,
    });
  } else if (message === "reset") {
    firstRequestAt = undefined;
    lastAnswerAt = undefined;
    process.send?.({ reset: true });
  } else if (message === "close") {
    await server.close();
    process.exit(0);
  }
});
