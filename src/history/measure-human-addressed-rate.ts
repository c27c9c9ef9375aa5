import { parsePatchHunks } from "../prompts/parse-hunks.js";

/** The fields of one PR of the shared history file (`secp256k1-review-history.jsonl.gz`) used here. */
export interface HistoryPull {
  number: number;
  user: string;
  merged_at: string | null;
  comments: {
    user: string;
    in_reply_to_id: number | null;
    pull_request_review_id?: number | null;
    body: string;
    path: string;
    diff_hunk: string;
  }[];
  files?: { filename: string; status: string; previous_filename?: string; patch?: string }[];
}

export type AddressedVerdict = "addressed" | "kept" | "undecidable";

/** A commented line shorter than this (after trimming) is too common to find again by its text. */
const MIN_LINE_CHARS = 4;

/**
 * Was a human's review comment addressed before merge? Decided from the data the history file
 * has: the commented line is the last line of the comment's `diff_hunk` (GitHub's convention),
 * and `files` is the merged PR's final diff (merge-base..head). By the line's kind in the hunk:
 * - added (`+`): addressed when the final diff no longer adds a line with that exact text
 *   (whitespace-normalised), or the file left the PR;
 * - context (` `): addressed when the final diff deletes a line with that text;
 * - deleted (`-`): addressed when the final diff no longer deletes a line with that text.
 * Undecidable: PR not merged or without `files`, a file without a patch (binary, > 64 KiB), a
 * commented line of fewer than 4 characters, or a hunk that does not parse.
 */
export function decideHumanAddressed(params: {
  pull: HistoryPull;
  comment: HistoryPull["comments"][number];
}): AddressedVerdict {
  const { pull, comment } = params;
  if (!pull.merged_at || !pull.files) return "undecidable";
  let last: ReturnType<typeof parsePatchHunks>[number]["lines"][number] | undefined;
  try {
    last = parsePatchHunks(comment.diff_hunk).at(-1)?.lines.at(-1);
  } catch {
    return "undecidable";
  }
  if (!last) return "undecidable";
  const text = normalise(last.content);
  if (text.length < MIN_LINE_CHARS) return "undecidable";
  const file = pull.files.find(
    (f) => f.filename === comment.path || f.previous_filename === comment.path,
  );
  if (!file) return last.kind === "context" ? "kept" : "addressed";
  if (file.patch === undefined) return "undecidable";
  let finalLines: ReturnType<typeof parsePatchHunks>[number]["lines"];
  try {
    finalLines = parsePatchHunks(file.patch).flatMap((hunk) => hunk.lines);
  } catch {
    return "undecidable";
  }
  const has = (kind: "add" | "del") =>
    finalLines.some((line) => line.kind === kind && normalise(line.content) === text);
  if (last.kind === "add") return has("add") ? "kept" : "addressed";
  if (last.kind === "del") return has("del") ? "kept" : "addressed";
  return has("del") ? "addressed" : "kept";
}

function normalise(line: string): string {
  return line.replace(/\s+/g, " ").trim();
}

/** Per reviewer: top-level comments on others' merged PRs, decided and addressed. */
export interface HumanAddressedRate {
  login: string;
  topLevelComments: number;
  decided: number;
  addressed: number;
  rate: number;
}

/**
 * The addressed rate of each reviewer's own top-level comments on other people's PRs (replies,
 * self-reviews and deleted accounts left out), most comments first.
 */
export function measureHumanAddressedRates(pulls: readonly HistoryPull[]): HumanAddressedRate[] {
  const byLogin = new Map<string, HumanAddressedRate>();
  for (const pull of pulls) {
    for (const comment of pull.comments) {
      if (comment.in_reply_to_id !== null || comment.user === pull.user) continue;
      if (comment.user === "ghost") continue;
      const entry = byLogin.get(comment.user) ?? {
        login: comment.user,
        topLevelComments: 0,
        decided: 0,
        addressed: 0,
        rate: 0,
      };
      entry.topLevelComments++;
      const verdict = decideHumanAddressed({ pull, comment });
      if (verdict !== "undecidable") entry.decided++;
      if (verdict === "addressed") entry.addressed++;
      byLogin.set(comment.user, entry);
    }
  }
  return [...byLogin.values()]
    .map((entry) => ({
      ...entry,
      rate: entry.decided === 0 ? 0 : Math.round((entry.addressed / entry.decided) * 1000) / 1000,
    }))
    .sort((a, b) => b.topLevelComments - a.topLevelComments);
}
