import type { Redis } from "ioredis";
import { z } from "zod";
import { NO_COMMENT } from "../prompts/review-answer.js";
import type { HistorySubject } from "./history-records.js";
import { createHistoryStore } from "./store-history.js";

const chatSchema = z.object({
  messages: z.tuple([
    z.object({ role: z.literal("system"), content: z.string() }),
    z.object({ role: z.literal("user"), content: z.string() }),
    z.object({ role: z.literal("assistant"), content: z.string() }),
  ]),
});

/** A user/assistant pair from the reviewer's own history, in the shared prompt format. */
export type FewShotExample = { user: string; assistant: string };

/**
 * The newest training examples of a reviewer, for reviewing without an adapter: up to `count`
 * comments and `count / 2` (rounded down) "no comment" hunks, newest last. Empty when nothing is
 * stored (never collected or expired).
 */
export async function loadFewShotExamples(params: {
  redis: Redis;
  keyPrefix: string;
  subject: HistorySubject;
  count: number;
}): Promise<FewShotExample[]> {
  const text = await createHistoryStore({ ...params, ttlSeconds: 1 }).loadDatasetText();
  if (!text) return [];
  return fewShotExamplesFromTrainText({ trainText: text.train, count: params.count });
}

/**
 * The selection of {@link loadFewShotExamples} from a `train.jsonl` text (one chat per line):
 * the newest `count` comments and `count / 2` (rounded down) "no comment" hunks, newest last.
 *
 * @throws ZodError / SyntaxError when a line is not a system/user/assistant chat.
 */
export function fewShotExamplesFromTrainText(params: {
  trainText: string;
  count: number;
}): FewShotExample[] {
  const pairs = params.trainText
    .split("\n")
    .filter(Boolean)
    .map((line) => chatSchema.parse(JSON.parse(line)).messages)
    .map(([, user, assistant]) => ({ user: user.content, assistant: assistant.content }));
  const comments = pairs.filter((pair) => pair.assistant !== NO_COMMENT).slice(-params.count);
  const silent = pairs
    .filter((pair) => pair.assistant === NO_COMMENT)
    .slice(-Math.floor(params.count / 2));
  return [...silent, ...comments];
}
