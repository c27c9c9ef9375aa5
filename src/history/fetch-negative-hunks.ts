import { createHash } from "node:crypto";
import { z } from "zod";
import type { DiffHunk } from "../prompts/diff-hunk.js";
import { parsePatchHunks, parseSingleHunk } from "../prompts/parse-hunks.js";
import type { SubjectQuery } from "./call-github.js";
import { findFullHunk } from "./find-full-hunk.js";
import type { NegativeHunks, PullFiles, RawReviewComment } from "./history-records.js";

const pullFilesListSchema = z.array(
  z.object({
    filename: z.string(),
    status: z.string(),
    previous_filename: z.string().optional().nullable(),
    patch: z.string().optional(),
  }),
);

/** Writes a parsed hunk back as patch text (header, then marker + content per line). */
export function hunkToPatch(hunk: DiffHunk): string {
  const markers = { add: "+", del: "-", context: " " } as const;
  return [hunk.header, ...hunk.lines.map((line) => `${markers[line.kind]}${line.content}`)].join(
    "\n",
  );
}

export function commentTouchesHunk(comment: RawReviewComment, hunk: DiffHunk): boolean {
  const numbers = hunk.lines.flatMap((line) => {
    if (comment.side === "LEFT") return line.kind === "add" ? [] : [line.oldLine];
    return line.kind === "del" ? [] : [line.newLine];
  });
  if (numbers.length === 0) return false;
  const low = Math.min(...numbers);
  const high = Math.max(...numbers);
  const candidates = [
    comment.line,
    comment.originalLine,
    comment.startLine,
    comment.originalStartLine,
  ];
  return candidates.some((line) => line !== null && line >= low && line <= high);
}

function cutHunkOf(comment: RawReviewComment): DiffHunk | undefined {
  try {
    return parseSingleHunk(comment.diffHunk);
  } catch {
    return undefined;
  }
}

function sampleOrder(pullNumber: number, path: string, hunk: DiffHunk): string {
  return createHash("sha256")
    .update(`${pullNumber}\u0000${path}\u0000${hunk.header}`)
    .digest("hex");
}

/**
 * One pull request's files: one `GET /pulls/{n}/files` request (first 100 files; binary and
 * huge files have no patch).
 *
 * @throws Error when GitHub's answer is not a list of files.
 */
export async function fetchPullFiles(
  params: SubjectQuery & { pullNumber: number },
): Promise<PullFiles> {
  const { caller, subject, pullNumber } = params;
  const response = await caller.rest("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
    owner: subject.owner,
    repo: subject.repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  const files = pullFilesListSchema.parse(response.data).map((file) => ({
    filename: file.filename,
    status: file.status,
    ...(file.previous_filename ? { previous_filename: file.previous_filename } : {}),
    ...(file.patch === undefined ? {} : { patch: file.patch }),
  }));
  return { pullNumber, files };
}

/**
 * The hunks of one pull request the reviewer let pass, and the whole hunks their comments were
 * cut from (see `findFullHunk`), from its files (see {@link fetchPullFiles}): every hunk on a
 * path the reviewer commented on near its lines excluded (current or original line numbers, so
 * outdated comments count too), then at most `maxHunks` chosen in a stable pseudo-random order
 * so early files are not favoured.
 */
export function negativeHunksFromFiles(params: {
  pullFiles: PullFiles;
  reviewerComments: RawReviewComment[];
  maxHunks: number;
}): NegativeHunks {
  const { pullNumber, files } = params.pullFiles;
  let totalHunks = 0;
  let commentedHunks = 0;
  const uncommented: Array<{ path: string; hunk: DiffHunk; order: string }> = [];
  const fullHunks: NegativeHunks["fullHunks"] = [];
  for (const file of files) {
    if (!file.patch) continue;
    const comments = params.reviewerComments.filter((comment) => comment.path === file.filename);
    const fileHunks = parsePatchHunks(file.patch);
    for (const comment of comments) {
      const cut = cutHunkOf(comment);
      const full = cut && findFullHunk(cut, fileHunks);
      if (full) fullHunks.push({ commentId: comment.id, patch: hunkToPatch(full) });
    }
    for (const hunk of fileHunks) {
      totalHunks += 1;
      if (comments.some((comment) => commentTouchesHunk(comment, hunk))) {
        commentedHunks += 1;
        continue;
      }
      uncommented.push({
        path: file.filename,
        hunk,
        order: sampleOrder(pullNumber, file.filename, hunk),
      });
    }
  }
  const chosen = uncommented
    .sort((left, right) => left.order.localeCompare(right.order))
    .slice(0, params.maxHunks)
    .map(({ path, hunk }) => ({ path, patch: hunkToPatch(hunk) }));
  return { pullNumber, totalHunks, commentedHunks, hunks: chosen, fullHunks };
}
