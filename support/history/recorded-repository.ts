import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { z } from "zod";
import type {
  StandInComment,
  StandInFile,
  StandInPull,
  StandInRepo,
  StandInReview,
} from "./stand-in-data.js";

/**
 * A recorded repository history (one pull request per JSON line, review comments in GitHub's REST
 * shape, the PR's files as `GET /pulls/{n}/files` returns them; see ../shared/data/README.md),
 * turned into the data a GitHub stand-in serves, so the bot's own history code collects it over
 * GraphQL and REST exactly as it would from GitHub.
 */

const recordedCommentSchema = z.object({
  id: z.number().int(),
  pull_request_review_id: z.number().int().nullable(),
  path: z.string(),
  diff_hunk: z.string(),
  line: z.number().int().nullable(),
  original_line: z.number().int().nullable(),
  side: z.enum(["LEFT", "RIGHT"]).nullable(),
  start_line: z.number().int().nullable(),
  original_start_line: z.number().int().nullable(),
  commit_id: z.string().nullable(),
  original_commit_id: z.string().nullable(),
  in_reply_to_id: z.number().int().nullable().optional(),
  created_at: z.string(),
  body: z.string(),
  user: z.string().nullable(),
});
export type RecordedComment = z.infer<typeof recordedCommentSchema>;

const recordedFileSchema = z.object({
  filename: z.string(),
  status: z.string(),
  additions: z.number().int(),
  deletions: z.number().int(),
  changes: z.number().int(),
  previous_filename: z.string().optional().nullable(),
  patch: z.string().optional().nullable(),
});

const recordedPullSchema = z.object({
  repo: z.string(),
  number: z.number().int(),
  user: z.string().nullable(),
  created_at: z.string(),
  reviews: z.array(
    z.object({ id: z.number().int(), user: z.string().nullable(), state: z.string() }),
  ),
  comments: z.array(recordedCommentSchema),
  files: z.array(recordedFileSchema).optional().nullable(),
});
export type RecordedPull = z.infer<typeof recordedPullSchema>;

/**
 * Reads a recorded history file (`.jsonl` or `.jsonl.gz`).
 *
 * @throws Error naming the line that is not a recorded pull request.
 */
export function readRecordedHistory(path: string): RecordedPull[] {
  const raw = readFileSync(path);
  const text = (path.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
  return text.split("\n").flatMap((line, index) => {
    if (!line.trim()) return [];
    const parsed = recordedPullSchema.safeParse(JSON.parse(line));
    if (!parsed.success) {
      throw new Error(
        `line ${index + 1} of ${path} is not a recorded pull request: ${parsed.error.issues[0]?.message}`,
      );
    }
    return [parsed.data];
  });
}

const ghost = "ghost";
const commentNodeId = (id: number) => `PRRC_${id}`;
const isBotLogin = (login: string) => /\[bot\]$/i.test(login);

/** GraphQL's `outdated`: REST drops `line` once the commented line left the current diff. */
function toStandInComment(comment: RecordedComment): StandInComment {
  const login = comment.user ?? ghost;
  return {
    id: commentNodeId(comment.id),
    databaseId: comment.id,
    body: comment.body,
    diffHunk: comment.diff_hunk,
    path: comment.path,
    line: comment.line,
    originalLine: comment.original_line,
    startLine: comment.start_line,
    originalStartLine: comment.original_start_line,
    side: comment.side ?? "RIGHT",
    createdAt: comment.created_at,
    outdated: comment.line === null,
    commitOid: comment.commit_id ?? comment.original_commit_id ?? "",
    originalCommitOid: comment.original_commit_id ?? "",
    replyToId:
      comment.in_reply_to_id === null || comment.in_reply_to_id === undefined
        ? null
        : commentNodeId(comment.in_reply_to_id),
    author: { login, type: isBotLogin(login) ? "Bot" : "User" },
  };
}

/**
 * Groups a pull request's comments under their reviews. The recording lists fewer reviews than
 * comments point at (a reply is its own one-comment review on GitHub): a missing review is the
 * comment author's, as GitHub would answer `reviews(author:)`.
 */
function toStandInReviews(pull: RecordedPull): StandInReview[] {
  const reviews = new Map<number, StandInReview>();
  for (const review of pull.reviews) {
    reviews.set(review.id, {
      id: `PRR_${review.id}`,
      authorLogin: review.user ?? ghost,
      comments: [],
    });
  }
  const sorted = [...pull.comments].sort((left, right) => left.id - right.id);
  for (const comment of sorted) {
    const reviewId = comment.pull_request_review_id ?? -comment.id;
    let review = reviews.get(reviewId);
    if (!review) {
      review = {
        id: `PRR_${Math.abs(reviewId)}`,
        authorLogin: comment.user ?? ghost,
        comments: [],
      };
      reviews.set(reviewId, review);
    }
    review.comments.push(toStandInComment(comment));
  }
  return [...reviews.values()];
}

function toStandInFile(file: NonNullable<RecordedPull["files"]>[number]): StandInFile {
  return {
    filename: file.filename,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.changes,
    ...(file.previous_filename ? { previous_filename: file.previous_filename } : {}),
    ...(typeof file.patch === "string" ? { patch: file.patch } : {}),
  };
}

/**
 * The stand-in data for a recorded history, optionally only the pull requests `keep` accepts (a
 * slice for a quick test). Pull requests without recorded files (not merged) have no files.
 */
export function recordedRepository(
  pulls: readonly RecordedPull[],
  keep: (pull: RecordedPull) => boolean = () => true,
): StandInRepo {
  const first = pulls[0];
  if (!first) throw new Error("the recorded history has no pull requests");
  const [owner = "", name = ""] = first.repo.split("/");
  const standInPulls: StandInPull[] = pulls.filter(keep).map((pull) => ({
    id: `PR_${pull.number}`,
    number: pull.number,
    createdAt: pull.created_at,
    authorLogin: pull.user ?? ghost,
    reviews: toStandInReviews(pull),
    files: (pull.files ?? []).map(toStandInFile),
  }));
  return { owner, name, pulls: standInPulls };
}
