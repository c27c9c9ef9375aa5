import { loadPrompts, loadPromptTemplate, type PromptTemplates } from "../prompts/load-prompts.js";

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
  const [shared, fewShot, hunkNote, summary, summaryDiff] = await Promise.all([
    loadPrompts(params),
    loadPromptTemplate({ name: "few-shot", ...params }),
    loadPromptTemplate({ name: "hunk-note", ...params }),
    loadPromptTemplate({ name: "summary", ...params }),
    loadPromptTemplate({ name: "summary-diff", ...params }),
  ]);
  return { ...shared, fewShot, hunkNote, summary, summaryDiff };
}
