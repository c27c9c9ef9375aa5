import {
  type ChatRequest,
  type FakeLlmAnswer,
  lastUserMessage,
} from "../../../support/llm/fake-openai-server.js";

export const ADAPTER_NAME = "acme-shop-alice-v2";
export const BASE_MODEL = "stand-in/base-8b";

/** The reviewer's real answer for each user turn of a dataset (JSONL text). */
export function goldAnswers(datasetJsonl: string): Map<string, string> {
  const gold = new Map<string, string>();
  for (const line of datasetJsonl.split("\n").filter(Boolean)) {
    const [, user, assistant] = (JSON.parse(line) as { messages: { content: string }[] }).messages;
    if (user && assistant) gold.set(user.content, assistant.content);
  }
  return gold;
}

function firstChangedAnchor(turn: string): string {
  return /^(R\d+) +\+|^(L\d+) +-/m.exec(turn)?.slice(1).find(Boolean) ?? "R1";
}

/** Zero-shot speaks on about one hunk in four, chosen by the hunk so reruns answer the same. */
export function zeroShotSpeaks(turn: string): boolean {
  return turn.length % 4 === 0;
}

/**
 * Three systems that answer differently, as real ones would: the adapter mostly repeats the
 * reviewer (and is sure when to stay quiet), the base model with examples comments everywhere
 * with generic advice, the base model alone rarely speaks.
 */
export function standInModels(gold: Map<string, string>) {
  return (request: ChatRequest): FakeLlmAnswer => {
    const turn = lastUserMessage(request);
    const answer = gold.get(turn);
    if (answer === undefined) return { status: 400, message: "unknown hunk" };
    if (request.model === ADAPTER_NAME) {
      const commented = answer !== "NO_COMMENT";
      return { text: answer, noCommentProbability: commented ? 0.1 : 0.9 };
    }
    if (request.model !== BASE_MODEL) return { status: 404, message: `no model ${request.model}` };
    const withExamples = request.messages.length > 2;
    if (withExamples) {
      return {
        text: `${firstChangedAnchor(turn)}: Consider adding a test for this change.`,
        // Unsure, and not in step with the reviewer: the ranking picks hunks at random.
        noCommentProbability: 0.3 + (turn.length % 5) / 10,
      };
    }
    return zeroShotSpeaks(turn)
      ? {
          text: `${firstChangedAnchor(turn)}: Looks risky, please double-check.`,
          noCommentProbability: 0.45,
        }
      : { text: "NO_COMMENT", noCommentProbability: 0.8 };
  };
}
