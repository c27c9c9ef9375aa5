import { fillTemplate } from "./fill-template.js";
import type { PromptTemplates } from "./load-prompts.js";

/** What the prompt shows of a precedent: where it was and what the reviewer said. */
export interface PrecedentLine {
  path: string;
  comment: string;
}

/**
 * The hunk's user turn followed by the reviewer's precedents for it (`precedents.md`, one
 * `- <path>: <comment>` line each, closest first); the turn unchanged when there is none. The one
 * place both the training data (history stage) and the review build this part of the prompt, so
 * an adapter is asked exactly as it was trained.
 */
export function appendPrecedents(params: {
  templates: Pick<PromptTemplates, "precedents">;
  turn: string;
  precedents: readonly PrecedentLine[];
  reviewerLogin: string;
}): string {
  if (params.precedents.length === 0) return params.turn;
  const lines = params.precedents.map(
    (precedent) => `- ${precedent.path}: ${precedent.comment.replace(/\s+/g, " ").trim()}`,
  );
  const block = fillTemplate(params.templates.precedents, {
    reviewer: params.reviewerLogin,
    precedents: lines.join("\n"),
  });
  return `${params.turn}\n\n${block}`;
}
