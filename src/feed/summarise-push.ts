import type OpenAI from "openai";
import { summariseChange } from "../review/build-review-body.js";
import { rebuildFileDiff } from "../review/fetch-pull-diff.js";
import type { ReviewPromptTemplates } from "../review/load-review-prompts.js";
import { type DiffFile, parseDiffHunks } from "../review/parse-diff-hunks.js";
import { summariseChangeWithModel } from "../review/summarise-change-with-model.js";
import type { ChangedFile } from "./fetch-push-change.js";

/** A feed line fits in a tweet. */
export const MAX_SUMMARY_CHARS = 280;
const FORCE_PUSH_PREFIX = "Force-push: ";

export interface PushSummary {
  text: string;
  source: "model" | "counts";
}

/**
 * The feed's one line for a push, by the base model with the review's summary prompt (no
 * adapter). The prompt stays within `budgetChars`: the file list takes at most half of it (a huge
 * push lists its first files), the first changed lines the rest. When the model fails, the line
 * is built from the diff stats. A force-push says so; the line never exceeds 280 characters.
 */
export async function summarisePush(params: {
  llm: OpenAI;
  model: string;
  templates: Pick<ReviewPromptTemplates, "summary" | "summaryDiff">;
  files: readonly ChangedFile[];
  forced: boolean;
  budgetChars: number;
  onModelError?: (error: unknown) => void;
}): Promise<PushSummary> {
  const diffFiles = toDiffFiles(params.files);
  let summary: PushSummary;
  try {
    const text = await summariseChangeWithModel({
      client: params.llm,
      model: params.model,
      templates: params.templates as ReviewPromptTemplates,
      files: firstFilesWithin(diffFiles, params.budgetChars / 2),
      maxChars: params.budgetChars,
    });
    summary = { text, source: "model" };
  } catch (error) {
    params.onModelError?.(error);
    summary = { text: summariseChange(diffFiles), source: "counts" };
  }
  const prefix = params.forced ? FORCE_PUSH_PREFIX : "";
  // Both sources are already plain text with mentions neutralised (see sanitiseComment).
  return {
    ...summary,
    text: prefix + cutToLength(summary.text, MAX_SUMMARY_CHARS - prefix.length),
  };
}

/** Files GitHub sent a patch for, parsed like a PR's diff; files without one count as changed. */
function toDiffFiles(files: readonly ChangedFile[]): DiffFile[] {
  const diffText = files
    .filter((file): file is ChangedFile & { patch: string } => file.patch !== undefined)
    .map((file) => rebuildFileDiff(file))
    .join("");
  return diffText === "" ? [] : parseDiffHunks(diffText);
}

/** The leading files whose `path (+a −d)` lines fit in `chars`. */
function firstFilesWithin(files: readonly DiffFile[], chars: number): DiffFile[] {
  const kept: DiffFile[] = [];
  let used = 0;
  for (const file of files) {
    used += file.path.length + 16;
    if (used > chars && kept.length > 0) break;
    kept.push(file);
  }
  return kept;
}

/** Cuts at a word boundary and marks the cut with an ellipsis. */
export function cutToLength(text: string, maxChars: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= maxChars) return flat;
  const cut = flat.slice(0, maxChars - 1);
  const atSpace = cut.lastIndexOf(" ");
  return `${(atSpace > maxChars / 2 ? cut.slice(0, atSpace) : cut).trimEnd()}…`;
}
