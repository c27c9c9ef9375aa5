import type { ChatMessage } from "../llm/ask-model-for-hunk.js";
import { buildHunkTurn, buildSystemTurn } from "../prompts/build-chat-turns.js";
import { lineTarget } from "../prompts/diff-hunk.js";
import { fillTemplate } from "../prompts/fill-template.js";
import { formatAnswer } from "../prompts/format-answer.js";
import { parseSingleHunk } from "../prompts/parse-hunks.js";
import type { ReviewPromptTemplates } from "./load-review-prompts.js";
import type { Hunk } from "./parse-diff-hunks.js";
import type { FewShotExample } from "./review-model.js";

/**
 * The chat messages for one hunk: the reviewer's persona (system turn, as in training), in
 * few-shot mode the reviewer's past comments as earlier user/assistant turns in exactly the
 * answer format, then the hunk with its line anchors (and a note when it was split or trimmed).
 */
export function buildHunkMessages(params: {
  templates: ReviewPromptTemplates;
  reviewerLogin: string;
  repoFullName: string;
  hunk: Hunk;
  /** Only in few-shot mode: the reviewer's most similar past comments. */
  examples?: readonly FewShotExample[];
}): ChatMessage[] {
  const { templates, hunk } = params;
  let system = buildSystemTurn({
    templates,
    reviewerLogin: params.reviewerLogin,
    repoFullName: params.repoFullName,
  });
  const exampleTurns = (params.examples ?? []).flatMap((example) =>
    exampleToTurns(templates, example),
  );
  if (exampleTurns.length > 0) {
    const intro = fillTemplate(templates.fewShot, {
      count: String(exampleTurns.length / 2),
      reviewer: params.reviewerLogin,
    });
    system = `${system}\n\n${intro}`;
  }
  let hunkTurn = buildHunkTurn({ templates, path: hunk.path, hunk });
  if (hunk.note)
    hunkTurn = `${hunkTurn}\n\n${fillTemplate(templates.hunkNote, { note: hunk.note })}`;
  return [
    { role: "system", content: system },
    ...exampleTurns,
    { role: "user", content: hunkTurn },
  ];
}

// A GitHub review comment's diffHunk ends at the commented line, so that line is the anchor.
// Examples whose hunk cannot be parsed are left out rather than sink the review.
function exampleToTurns(templates: ReviewPromptTemplates, example: FewShotExample): ChatMessage[] {
  const firstLine = example.body
    .split("\n")
    .map((line) => line.trim())
    .find((line) => line.length > 0);
  if (!firstLine) return [];
  let hunk: ReturnType<typeof parseSingleHunk>;
  try {
    hunk = parseSingleHunk(example.diffHunk);
  } catch {
    return [];
  }
  const lastLine = hunk.lines.at(-1);
  if (!lastLine) return [];
  const target = lineTarget(lastLine);
  return [
    { role: "user", content: buildHunkTurn({ templates, path: example.path, hunk }) },
    {
      role: "assistant",
      content: formatAnswer({ kind: "comment", ...target, body: firstLine.slice(0, 200) }),
    },
  ];
}
