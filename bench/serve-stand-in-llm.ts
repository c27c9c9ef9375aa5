/**
 * The bench's stand-in LLM, run as its own process (as vLLM is), so its CPU time does not land
 * on the bot's event loop. Answers every chat completion after LLM_DELAY_MS, commenting on the
 * hunk's first changed line. Talks to the parent over IPC: sends `{ baseUrl }` when listening,
 * answers "stats" with `{ requests, maxInFlight }`, and exits on "close".
 */
import { lastUserMessage, startFakeOpenAiServer } from "../test/support-llm/fake-openai-server.js";

const delayMs = Number(process.env.LLM_DELAY_MS ?? 200);
const server = await startFakeOpenAiServer((request) => {
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
    process.send?.({ requests: server.requests.length, maxInFlight: server.maxInFlight() });
  } else if (message === "close") {
    await server.close();
    process.exit(0);
  }
});
