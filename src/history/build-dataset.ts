import { buildHunkTurn, buildSystemTurn } from "../prompts/build-chat-turns.js";
import { type DiffHunk, lineTarget } from "../prompts/diff-hunk.js";
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
  /** For comments: whether the whole hunk was shown, not GitHub's hunk cut after the line. */
  fullHunk: boolean;
  /**
   * The hunk and path the user turn shows, and for a comment its id and time: what retrieval
   * matches and orders on (src/retrieval/add-precedents-to-examples.ts).
   */
  source: { path: string; hunk: DiffHunk; commentId?: string; at?: string };
};

/** Cuts a hunk to `maxLines`, keeping the line at `focus` with up to a third of the room after it. */
function keepLines(hunk: DiffHunk, maxLines: number, focus: number): DiffHunk {
  if (hunk.lines.length <= maxLines) return hunk;
  const after = Math.floor(maxLines / 3);
  const start = Math.max(0, Math.min(focus + after + 1 - maxLines, hunk.lines.length - maxLines));
  return { ...hunk, lines: hunk.lines.slice(start, start + maxLines) };
}

function commentHunk(comment: CleanComment, fullPatch: string | undefined, maxLines: number) {
  const hunk = parseSingleHunk(fullPatch ?? comment.diffHunk);
  const focus = hunk.lines.findIndex((line) => {
    const target = lineTarget(line);
    return target.side === comment.side && target.line === comment.line;
  });
  return keepLines(hunk, maxLines, focus < 0 ? hunk.lines.length - 1 : focus);
}

/**
 * Builds the chats: for each kept comment, the system persona turn, the user turn with the path
 * and the hunk — the whole hunk where the PR's files were fetched and still hold it, otherwise
 * GitHub's `diffHunk`, which ends at the commented line — cut to `maxHunkLines` around the
 * target, and the assistant turn `R<n>: <target>`; for each negative hunk (its first
 * `maxHunkLines` lines), the answer `NO_COMMENT`.
 */
export function buildDataset(params: {
  templates: PromptTemplates;
  subject: HistorySubject;
  comments: CleanComment[];
  negatives: NegativeHunks[];
  maxHunkLines: number;
}): DatasetExample[] {
  const { templates, subject, maxHunkLines } = params;
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
  const fullPatches = new Map(
    params.negatives.flatMap((negative) =>
      negative.fullHunks.map((entry) => [entry.commentId, entry.patch] as const),
    ),
  );
  const examples: DatasetExample[] = params.comments.map((comment) => {
    const fullPatch = fullPatches.get(comment.id);
    const answer = formatAnswer({
      kind: "comment",
      side: comment.side,
      line: comment.line,
      body: comment.target,
    });
    const hunk = commentHunk(comment, fullPatch, maxHunkLines);
    return {
      chat: chat(comment.path, hunk, answer),
      pullNumber: comment.pullNumber,
      kind: "comment",
      fullHunk: fullPatch !== undefined,
      source: { path: comment.path, hunk, commentId: comment.id, at: comment.createdAt },
    };
  });
  for (const negative of params.negatives) {
    for (const { path, patch } of negative.hunks) {
      const hunk = keepLines(parseSingleHunk(patch), maxHunkLines, 0);
      examples.push({
        chat: chat(path, hunk, formatAnswer({ kind: "no-comment" })),
        pullNumber: negative.pullNumber,
        kind: "no-comment",
        fullHunk: true,
        source: { path, hunk },
      });
    }
  }
  return examples;
}

/** JSON lines, one chat per line, only the `messages` column. */
export function toJsonl(examples: DatasetExample[]): string {
  return examples.map((example) => `${JSON.stringify(example.chat)}\n`).join("");
}
