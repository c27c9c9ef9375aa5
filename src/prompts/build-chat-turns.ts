import type { DiffHunk } from "./diff-hunk.js";
import { fillTemplate } from "./fill-template.js";
import type { PromptTemplates } from "./load-prompts.js";
import { renderHunkForPrompt } from "./render-hunk-for-prompt.js";

/** The persona system turn for a reviewer in a repository (`owner/name`). */
export function buildSystemTurn(params: {
  templates: PromptTemplates;
  reviewerLogin: string;
  repoFullName: string;
}): string {
  return fillTemplate(params.templates.system, {
    reviewer: params.reviewerLogin,
    repo: params.repoFullName,
  });
}

/** The user turn for one hunk: the file path and the hunk rendered with line anchors. */
export function buildHunkTurn(params: {
  templates: PromptTemplates;
  path: string;
  hunk: DiffHunk;
}): string {
  return fillTemplate(params.templates.hunk, {
    path: params.path,
    hunk: renderHunkForPrompt(params.hunk),
  });
}
