import { loadPromptTemplates, type PromptTemplates } from "../prompts/load-prompts.js";

/** The shared templates plus the review stage's own (see `prompts/README.md`). */
export interface ReviewPromptTemplates extends PromptTemplates {
  /** `few-shot.md`: introduces the reviewer's past comments; `{{count}}`, `{{reviewer}}`. */
  fewShot: string;
  /** `hunk-note.md`: tells the model a hunk was split or trimmed; `{{note}}`. */
  hunkNote: string;
  /** `summary.md`: system turn of the review's one-sentence summary; no placeholders. */
  summary: string;
  /** `summary-diff.md`: its user turn; `{{files}}`, `{{excerpt}}`. */
  summaryDiff: string;
}

/** Loads every template the review stage uses from `prompts/` (or `dir`). Call once at start. */
export async function loadReviewPrompts(
  params: { dir?: URL | string } = {},
): Promise<ReviewPromptTemplates> {
  const { system, hunk, precedents, ...own } = await loadPromptTemplates({
    names: ["system", "hunk", "precedents", "few-shot", "hunk-note", "summary", "summary-diff"],
    dir: params.dir,
  });
  return {
    system,
    hunk,
    precedents,
    fewShot: own["few-shot"],
    hunkNote: own["hunk-note"],
    summary: own.summary,
    summaryDiff: own["summary-diff"],
  };
}
