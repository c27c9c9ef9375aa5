import { buildHunkTurn, buildSystemTurn } from "../prompts/build-chat-turns.js";
import type { DiffHunk } from "../prompts/diff-hunk.js";
import { formatAnswer } from "../prompts/format-answer.js";
import type { PromptTemplates } from "../prompts/load-prompts.js";
import { parseSingleHunk } from "../prompts/parse-hunks.js";
import type { CleanComment } from "./clean-comments.js";
import type { HistorySubject, NegativeHunks } from "./history-records.js";

/** One chat in the OpenAI format TorchTune's `chat_dataset` reads (`conversation_style=openai`). */
export type ChatExample = {
  messages: [
    { role: "system"; content: string },
    { role: "user"; content: string },
    { role: "assistant"; content: string },
  ];
};

/** A chat with what the split and the statistics need to know about it. */
export type DatasetExample = {
  chat: ChatExample;
  pullNumber: number;
  kind: "comment" | "no-comment";
};

function keepLines(hunk: DiffHunk, maxLines: number, keep: "start" | "end"): DiffHunk {
  if (hunk.lines.length <= maxLines) return hunk;
  const lines = keep === "end" ? hunk.lines.slice(-maxLines) : hunk.lines.slice(0, maxLines);
  return { ...hunk, lines };
}

/**
 * Builds the chats: for each kept comment, the system persona turn, the user turn with the path
 * and the comment's hunk (GitHub cuts it after the commented line; longer than `maxHunkLines`,
 * its last lines are kept so the target stays visible) and the assistant turn `R<n>: <target>`;
 * for each negative hunk (its first `maxHunkLines` lines), the answer `NO_COMMENT`.
 */
export function buildDataset(params: {
  templates: PromptTemplates;
  subject: HistorySubject;
  comments: CleanComment[];
  negatives: NegativeHunks[];
  maxHunkLines: number;
}): DatasetExample[] {
  const { templates, subject } = params;
  const system = buildSystemTurn({
    templates,
    reviewerLogin: subject.reviewerLogin,
    repoFullName: `${subject.owner}/${subject.repo}`,
  });
  const chat = (path: string, hunk: DiffHunk, answer: string): ChatExample => ({
    messages: [
      { role: "system", content: system },
      { role: "user", content: buildHunkTurn({ templates, path, hunk }) },
      { role: "assistant", content: answer },
    ],
  });
  const examples: DatasetExample[] = params.comments.map((comment) => ({
    chat: chat(
      comment.path,
      keepLines(parseSingleHunk(comment.diffHunk), params.maxHunkLines, "end"),
      formatAnswer({
        kind: "comment",
        side: comment.side,
        line: comment.line,
        body: comment.target,
      }),
    ),
    pullNumber: comment.pullNumber,
    kind: "comment",
  }));
  for (const negative of params.negatives) {
    for (const { path, patch } of negative.hunks) {
      examples.push({
        chat: chat(
          path,
          keepLines(parseSingleHunk(patch), params.maxHunkLines, "start"),
          formatAnswer({ kind: "no-comment" }),
        ),
        pullNumber: negative.pullNumber,
        kind: "no-comment",
      });
    }
  }
  return examples;
}

/** JSON lines, one chat per line, only the `messages` column. */
export function toJsonl(examples: DatasetExample[]): string {
  return examples.map((example) => `${JSON.stringify(example.chat)}\n`).join("");
}
