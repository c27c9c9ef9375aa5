/** Reads the shared real review history of bitcoin-core/secp256k1 (see ../shared/data/README.md). */
import { createReadStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import { buildHunkTurn, buildSystemTurn } from "../../src/prompts/build-chat-turns.js";
import { lineTarget } from "../../src/prompts/diff-hunk.js";
import { formatAnswer } from "../../src/prompts/format-answer.js";
import { loadPrompts } from "../../src/prompts/load-prompts.js";
import { parseSingleHunk } from "../../src/prompts/parse-hunks.js";
import type { StandInPull, StandInRepo, StandInReview } from "../history/stand-in-data.js";

const SHARED_DIR = process.env.SHARED_DIR ?? resolve(import.meta.dirname, "../../../shared");
const HISTORY = join(SHARED_DIR, "data", "secp256k1-review-history.jsonl.gz");

interface SharedPull {
  number: number;
  title: string;
  user: string;
  created_at: string;
  comments: SharedComment[];
  files?: { filename: string; status: string; patch?: string }[];
}

interface SharedComment {
  id: number;
  user: string;
  line: number | null;
  original_line: number | null;
  start_line: number | null;
  original_start_line: number | null;
  side: "LEFT" | "RIGHT" | null;
  created_at: string;
  commit_id: string;
  original_commit_id: string;
  path: string;
  diff_hunk: string;
  body: string;
  in_reply_to_id: number | null;
}

/**
 * Writes `count` real training chats for one reviewer of bitcoin-core/secp256k1 (the shared
 * review history), rendered with the bot's own prompts exactly as the history stage renders them:
 * the persona turn, the hunk, and `R<n>: <comment>` on the hunk's last line (GitHub's anchor).
 */
export async function writeTrainingSet(params: {
  path: string;
  reviewerLogin: string;
  count: number;
}): Promise<void> {
  const templates = await loadPrompts();
  const system = buildSystemTurn({
    templates,
    reviewerLogin: params.reviewerLogin,
    repoFullName: "bitcoin-core/secp256k1",
  });
  const lines: string[] = [];
  for await (const pr of readPulls()) {
    for (const comment of pr.comments) {
      if (comment.user !== params.reviewerLogin || comment.in_reply_to_id !== null) continue;
      const hunk = parseSingleHunk(comment.diff_hunk);
      const last = hunk.lines.at(-1);
      if (!last || hunk.lines.length > 12) continue;
      const target = lineTarget(last);
      const body = comment.body.split("\n")[0]?.slice(0, 200).trim();
      if (!body) continue;
      lines.push(
        JSON.stringify({
          messages: [
            { role: "system", content: system },
            { role: "user", content: buildHunkTurn({ templates, path: comment.path, hunk }) },
            { role: "assistant", content: formatAnswer({ kind: "comment", ...target, body }) },
          ],
        }),
      );
      if (lines.length === params.count) break;
    }
    if (lines.length === params.count) break;
  }
  if (lines.length < params.count) {
    throw new Error(
      `${HISTORY} has only ${lines.length} usable comments by ${params.reviewerLogin}`,
    );
  }
  await writeFile(params.path, `${lines.join("\n")}\n`);
}

/** The shared history's pull requests, one at a time (the file holds 464). */
async function* readPulls(): AsyncGenerator<SharedPull> {
  const input = createInterface({ input: createReadStream(HISTORY).pipe(createGunzip()) });
  try {
    for await (const line of input) yield JSON.parse(line) as SharedPull;
  } finally {
    input.close();
  }
}

/**
 * A real unified diff: the C source files of one merged secp256k1 pull request (`number`), with
 * the `diff --git`/`---`/`+++` headers GitHub's files listing leaves out, as the bot adds them.
 */
export async function readMergedPullDiff(number: number): Promise<{ title: string; diff: string }> {
  for await (const pr of readPulls()) {
    if (pr.number !== number) continue;
    const files = (pr.files ?? []).filter(
      (file) => file.patch && file.status === "modified" && /\.[ch]$/.test(file.filename),
    );
    if (files.length === 0) throw new Error(`PR #${number} has no modified C files with a patch`);
    const diff = files
      .map(
        (file) =>
          `diff --git a/${file.filename} b/${file.filename}\n--- a/${file.filename}\n+++ b/${file.filename}\n${file.patch}\n`,
      )
      .join("");
    return { title: pr.title, diff };
  }
  throw new Error(`${HISTORY} has no pull request #${number}`);
}

/**
 * The shared history as the history stand-in's repository (support/history): the pull
 * requests in which the `reviewers` (login → most pull requests) left review comments, with those reviewers' top-level
 * comments grouped into one review per reviewer and pull request, at most `maxPullsPerReviewer`
 * pull requests each (newest first), and each pull request's files.
 */
export async function readStandInRepo(params: {
  /** Where the stand-in serves it (the webhook payload's repository). */
  owner: string;
  name: string;
  reviewers: Record<string, number>;
}): Promise<StandInRepo> {
  const pulls: StandInPull[] = [];
  const taken: Record<string, number> = {};
  const all: SharedPull[] = [];
  for await (const pr of readPulls()) all.push(pr);
  all.sort((left, right) => right.number - left.number);
  for (const pr of all) {
    const reviews: StandInReview[] = [];
    for (const [login, maxPulls] of Object.entries(params.reviewers)) {
      if ((taken[login] ?? 0) >= maxPulls) continue;
      const comments = pr.comments.filter(
        (comment) => comment.user === login && comment.in_reply_to_id === null,
      );
      if (comments.length === 0) continue;
      taken[login] = (taken[login] ?? 0) + 1;
      reviews.push({
        id: `PRR_${pr.number}_${login}`,
        authorLogin: login,
        comments: comments.map((comment) => ({
          id: `PRRC_${comment.id}`,
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
          commitOid: comment.commit_id,
          originalCommitOid: comment.original_commit_id,
          replyToId: null,
          author: { login, type: "User" },
        })),
      });
    }
    if (reviews.length === 0) continue;
    pulls.push({
      id: `PR_${pr.number}`,
      number: pr.number,
      createdAt: pr.created_at,
      authorLogin: pr.user,
      reviews,
      files: (pr.files ?? []).map((file) => ({
        filename: file.filename,
        status: file.status,
        ...(file.patch ? { patch: file.patch } : {}),
      })),
    });
  }
  return { owner: params.owner, name: params.name, pulls };
}
