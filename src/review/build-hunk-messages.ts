import type { ChatMessage } from "../llm/ask-model-for-hunk.js";
import { appendPrecedents, type PrecedentLine } from "../prompts/append-precedents.js";
import { buildHunkTurn, buildSystemTurn } from "../prompts/build-chat-turns.js";
import { fillTemplate } from "../prompts/fill-template.js";
import { keepSystemTurn, type SystemTurn } from "../prompts/keep-system-turn.js";
import type { ReviewPromptTemplates } from "./load-review-prompts.js";
import type { Hunk } from "./parse-diff-hunks.js";
import type { FewShotExample } from "./review-model.js";

/**
 * The chat messages for one hunk: the reviewer's persona (system turn, as in training), in
 * few-shot mode the reviewer's past hunks as earlier user/assistant turns (rendered like the
 * training data by the history stage), then the hunk with its line anchors (and a note when it was split or trimmed), then the
 * reviewer's precedents for it.
 */
export function buildHunkMessages(params: {
  templates: ReviewPromptTemplates;
  reviewerLogin: string;
  repoFullName: string;
  hunk: Hunk;
  /** Only in few-shot mode: the reviewer's most similar past comments. */
  examples?: readonly FewShotExample[];
  /** What an adapter was trained on of the system turn; the whole turn unless told. */
  systemTurn?: SystemTurn;
  /** The reviewer's nearest precedents for this hunk (src/retrieval), closest first. */
  precedents?: readonly PrecedentLine[];
}): ChatMessage[] {
  const { templates, hunk } = params;
  let system = keepSystemTurn(
    buildSystemTurn({
      templates,
      reviewerLogin: params.reviewerLogin,
      repoFullName: params.repoFullName,
    }),
    params.systemTurn ?? "full",
  );
  const exampleTurns = (params.examples ?? []).flatMap((example): ChatMessage[] => [
    { role: "user", content: example.user },
    { role: "assistant", content: example.assistant },
  ]);
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
  // Exactly as the history stage added them to the training data (one builder for both).
  hunkTurn = appendPrecedents({
    templates,
    turn: hunkTurn,
    precedents: params.precedents ?? [],
    reviewerLogin: params.reviewerLogin,
  });
  return [
    { role: "system", content: system },
    ...exampleTurns,
    { role: "user", content: hunkTurn },
  ];
}
