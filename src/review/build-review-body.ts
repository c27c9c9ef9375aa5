import { neutraliseMentions } from "../github/neutralise-mentions.js";
import { reviewFingerprintMarker } from "./fingerprint.js";
import type { DiffFile } from "./parse-diff-hunks.js";
import type { ReviewModel } from "./review-model.js";

/**
 * The review's body: who the comments imitate and with what model (so nobody mistakes them for
 * the reviewer's own words), a one-sentence summary of the change, what was left out, and a
 * hidden list of the hunks read so a rerun on the same commit posts nothing new.
 */
export function buildReviewBody(params: {
  reviewerLogin: string;
  model: ReviewModel;
  summary: string;
  commentCount: number;
  hunksRead: number;
  leftOut: number;
  maxComments: number;
  readFingerprints: readonly string[];
  /** The feedback loop's sentence about held-back comments (empty when none). */
  heldBackNote?: string;
  /** Set when the where-model decided where to speak. */
  where?: { mode: "balanced" | "quiet"; wouldComment: number; askedModel: number };
}): string {
  const lines = [
    `**Predicted review** — ${attribution(params.reviewerLogin, params.model)}`,
    "",
    neutraliseMentions(params.summary),
    "",
    params.commentCount === 0
      ? `Read ${params.hunksRead} ${plural(params.hunksRead, "hunk")}; ${neutraliseMentions(`@${params.reviewerLogin}`)} would most likely not comment on any of them.`
      : `${params.commentCount} ${plural(params.commentCount, "comment")} on ${params.hunksRead} ${plural(params.hunksRead, "hunk")} read.`,
  ];
  if (params.where) {
    const { wouldComment, askedModel, mode } = params.where;
    lines.push(
      `Their where-model (${mode}) picked ${wouldComment} of the ${params.hunksRead} ${plural(params.hunksRead, "hunk")} as places ${neutraliseMentions(`@${params.reviewerLogin}`)} would comment on; the model was asked about ${askedModel} of them.`,
    );
  }
  if (params.leftOut > 0) {
    lines.push(
      params.where
        ? `${params.leftOut} less likely ${plural(params.leftOut, "comment was", "comments were")} left out: the where-model ranked ${plural(params.leftOut, "its hunk", "their hunks")} lower, or the ${params.maxComments}-per-review limit.`
        : `${params.leftOut} less likely ${plural(params.leftOut, "comment was", "comments were")} left out to match the reviewer's usual comment rate and the ${params.maxComments}-per-review limit.`,
    );
  }
  if (params.heldBackNote) lines.push(params.heldBackNote);
  lines.push("", reviewFingerprintMarker(params.readFingerprints));
  return lines.join("\n");
}

/** "comments predicted in the style of @alice — adapter v3, trained on 412 comments." */
export function attribution(reviewerLogin: string, model: ReviewModel): string {
  const who = neutraliseMentions(`@${reviewerLogin}`);
  const how =
    model.kind === "adapter"
      ? `adapter v${model.version}, trained on ${model.trainedOn} ${plural(model.trainedOn, "comment")}${model.evaluation ? ` (${model.evaluation})` : ""}`
      : `few-shot, no adapter yet${model.reason ? `: ${model.reason}` : ""} (${shownModelName(model.baseModel)} with ${model.examples.length} of their past reviews as examples)`;
  return `comments predicted in the style of ${who} — ${how}. Not written by ${who}.`;
}

/**
 * The base model as a PR shows it: a Hugging Face id as it is, a local checkpoint folder (vLLM's
 * --model, e.g. the embedded SmolLM2) by its folder name, not the server's file system path.
 */
function shownModelName(baseModel: string): string {
  return baseModel.startsWith("/")
    ? (baseModel.split("/").filter(Boolean).at(-1) ?? baseModel)
    : baseModel;
}

/**
 * A one-sentence description of the change built from the diff alone: the diff is untrusted
 * input, so nothing it says is repeated here.
 */
export function summariseChange(files: readonly DiffFile[]): string {
  let added = 0;
  let deleted = 0;
  for (const file of files) {
    for (const hunk of file.hunks) {
      for (const line of hunk.lines) {
        if (line.kind === "add") added++;
        else if (line.kind === "del") deleted++;
      }
    }
  }
  const counts = (status: DiffFile["status"]) => files.filter((f) => f.status === status).length;
  const kinds = [
    [counts("added"), "added"],
    [counts("modified"), "modified"],
    [counts("renamed"), "renamed"],
    [counts("deleted"), "deleted"],
  ]
    .filter(([count]) => Number(count) > 0)
    .map(([count, label]) => `${count} ${label}`);
  const area = mainDirectory(files);
  return `This pull request touches ${files.length} ${plural(files.length, "file")} (${kinds.join(", ") || "no text changes"}; +${added} −${deleted} lines)${area ? `, mostly in \`${area}\`` : ""}.`;
}

function mainDirectory(files: readonly DiffFile[]): string | undefined {
  const byDirectory = new Map<string, number>();
  for (const file of files) {
    const directory = file.path.includes("/")
      ? file.path.slice(0, file.path.lastIndexOf("/") + 1)
      : "";
    if (directory) byDirectory.set(directory, (byDirectory.get(directory) ?? 0) + 1);
  }
  const [top] = [...byDirectory.entries()].sort((a, b) => b[1] - a[1]);
  // Backticks inside the path would break the code span.
  return top && top[1] * 2 > files.length ? top[0].replaceAll("`", "") : undefined;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}
