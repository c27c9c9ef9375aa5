import { readFile } from "node:fs/promises";
import { z } from "zod";
import { buildSystemTurn } from "../prompts/build-chat-turns.js";
import type { PromptTemplates } from "../prompts/load-prompts.js";
import { parseAnswer } from "../prompts/parse-answer.js";
import type { ReviewAnswer } from "../prompts/review-answer.js";
import type { Hunk } from "../review/parse-diff-hunks.js";
import { parseHunkTurn } from "./parse-hunk-turn.js";

const chatSchema = z.object({
  messages: z.tuple([
    z.object({ role: z.literal("system"), content: z.string() }),
    z.object({ role: z.literal("user"), content: z.string() }),
    z.object({ role: z.literal("assistant"), content: z.string() }),
  ]),
});

/** One held-out hunk: what the model is shown and what the reviewer really answered. */
export interface HoldoutExample {
  /** Position in the holdout file, from 0. */
  index: number;
  hunk: Hunk;
  gold: ReviewAnswer;
}

/**
 * Parses a holdout in the history stage's dataset format (`holdout.jsonl`: one
 * `{"messages": [system, user, assistant]}` per line) into hunks and the reviewer's answers.
 * The system turns must be this reviewer's persona in this repository, as the review builds it.
 *
 * @throws Error naming the source and line when a line is not such a chat, and when there is none.
 */
export function parseHoldout(params: {
  text: string;
  /** File path or "Redis", for messages. */
  source: string;
  templates: PromptTemplates;
  reviewerLogin: string;
  repoFullName: string;
}): HoldoutExample[] {
  const system = buildSystemTurn(params);
  const examples: HoldoutExample[] = [];
  params.text.split("\n").forEach((line, lineIndex) => {
    if (!line.trim()) return;
    const where = `line ${lineIndex + 1} of ${params.source}`;
    try {
      const [systemTurn, user, assistant] = chatSchema.parse(JSON.parse(line)).messages;
      if (systemTurn.content !== system) {
        throw new Error(
          `its system turn is not the persona of ${params.reviewerLogin} in ${params.repoFullName}: check --reviewer and --repo (or prompts/system.md changed since the history was collected)`,
        );
      }
      examples.push({
        index: examples.length,
        hunk: parseHunkTurn({ templates: params.templates, turn: user.content }),
        gold: parseAnswer(assistant.content),
      });
    } catch (error) {
      const reason = error instanceof z.ZodError ? "not a system/user/assistant chat" : "";
      throw new Error(
        `${where}: ${reason || (error as Error).message}; the holdout must be the history stage's holdout.jsonl`,
        { cause: error },
      );
    }
  });
  if (examples.length === 0) {
    throw new Error(
      `the holdout ${params.source} has no examples: the reviewer's history was too small for a holdout; collect more history before evaluating`,
    );
  }
  return examples;
}

/** Reads and parses a holdout file; see {@link parseHoldout}. */
export async function readHoldoutFile(
  params: Omit<Parameters<typeof parseHoldout>[0], "text" | "source"> & { path: string },
): Promise<HoldoutExample[]> {
  let text: string;
  try {
    text = await readFile(params.path, "utf8");
  } catch (error) {
    throw new Error(
      `cannot read the holdout file ${params.path}: pass --holdout with the path of a holdout.jsonl the history stage wrote`,
      { cause: error },
    );
  }
  return parseHoldout({ ...params, text, source: params.path });
}
