import { z } from "zod";
import { computeWhereFeatures, WHERE_FEATURE_SPEC } from "./compute-where-features.js";
import { summariseReviewerHistory } from "./summarise-reviewer-history.js";
import { isCommented, type WhereHistory, type WherePull } from "./where-history.js";

/** One hunk as `python -m trainer where fit` reads it (one JSON object per line). */
export const whereRowSchema = z.object({
  spec: z.string(),
  pull: z.number().int(),
  /** The pull request's creation time: the fit orders its cross-validation folds by it. */
  time: z.string(),
  hunk: z.string(),
  /** Whether the reviewer commented anywhere in this pull request (the review's population). */
  commentedPull: z.boolean(),
  label: z.union([z.literal(0), z.literal(1)]),
  features: z.record(z.string(), z.number()),
});
export type WhereRow = z.infer<typeof whereRowSchema>;

/**
 * Feature rows for every hunk of `pulls`, each computed from the reviewer's history strictly
 * before that pull request was opened (never from the pull request itself). Labels count the
 * reviewer's comments made before `labelsBefore` (all of them when absent): a model trained at
 * some moment knows only the comments made until then. `llmScores` (pull request number → the
 * LLM's P(comment) per hunk, in hunk order) fills the optional `llm:p` feature. Pure.
 */
export function buildWhereRows(params: {
  history: WhereHistory;
  pulls: readonly WherePull[];
  labelsBefore?: string;
  llmScores?: ReadonlyMap<number, readonly (number | undefined)[]>;
}): WhereRow[] {
  return params.pulls.flatMap((pull) => {
    const summary = summariseReviewerHistory({
      history: params.history,
      before: pull.createdAt,
      excludePull: pull.number,
    });
    const llmScores = params.llmScores?.get(pull.number);
    const features = computeWhereFeatures({
      hunks: pull.hunks.map((entry) => entry.hunk),
      summary,
      ...(llmScores ? { llmScores } : {}),
    });
    const labels = pull.hunks.map((entry) => (isCommented(entry, params.labelsBefore) ? 1 : 0));
    const commentedPull = labels.some((label) => label === 1);
    return pull.hunks.map((entry, index) => ({
      spec: WHERE_FEATURE_SPEC,
      pull: pull.number,
      time: pull.createdAt,
      hunk: hunkId(entry.hunk),
      commentedPull,
      label: labels[index] ?? 0,
      features: features[index] ?? {},
    }));
  });
}

/** A hunk's id inside its pull request: path, position in the file, part when split. */
export function hunkId(hunk: { path: string; indexInFile: number; part?: number }): string {
  return `${hunk.path}#${hunk.indexInFile}${hunk.part === undefined ? "" : `.${hunk.part}`}`;
}

/** Rows as JSON Lines. */
export function toWhereJsonl(rows: readonly WhereRow[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join("");
}
