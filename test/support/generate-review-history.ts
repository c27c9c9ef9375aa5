/**
 * A synthetic review history in the format of the project's recorded one
 * (../shared/data/README.md: one pull request per JSON line, review comments in GitHub's REST
 * shape with `user` reduced to the login, merged pull requests' files as `GET /pulls/{n}/files`
 * returns them). `npm test` runs on a clone with nothing beside it and the recorded history may
 * not be copied into the repository, so tests that need a history generate one: seeded, so a
 * failure reproduces, and shaped like the real thing (C files, hunks with context, comments
 * anchored on the last line of their `diff_hunk`, outdated comments, replies, suggestion blocks,
 * bare "nit:" labels, link-only comments, unmerged pull requests without files).
 */
import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import {
  addFile,
  changeFile,
  createRandom,
  type PatchHunk,
  type Random,
  renderDiffHunk,
  renderPatch,
  type SyntheticFile,
  writeSourceFile,
} from "./build-synthetic-patch.js";

export interface GeneratedComment {
  id: number;
  pull_request_review_id: number;
  user: string;
  path: string;
  diff_hunk: string;
  position: number | null;
  original_position: number;
  line: number | null;
  original_line: number;
  side: "LEFT" | "RIGHT";
  start_line: null;
  original_start_line: null;
  start_side: null;
  commit_id: string;
  original_commit_id: string;
  in_reply_to_id: number | null;
  created_at: string;
  updated_at: string;
  author_association: string;
  body: string;
  html_url: string;
}

export interface GeneratedPull {
  repo: string;
  number: number;
  title: string;
  user: string;
  state: "closed" | "open";
  created_at: string;
  merged_at: string | null;
  closed_at: string | null;
  base: { ref: string; sha: string };
  head: { ref: string; sha: string };
  additions: number;
  deletions: number;
  changed_files: number;
  reviews: {
    id: number;
    user: string;
    state: string;
    submitted_at: string;
    commit_id: string;
    body: string;
  }[];
  comments: GeneratedComment[];
  files?: {
    filename: string;
    status: string;
    additions: number;
    deletions: number;
    changes: number;
    previous_filename: null;
    patch: string;
  }[];
  merge_base?: string;
}

const MODULES = ["field", "group", "scalar", "ecmult", "hash", "util", "modinv", "table"];
const REPLIES = ["Done.", "Fixed, thanks.", "Good catch, changed.", "I'd rather keep it as is."];

/** A review comment's text on `line`, in the forms real reviews take. */
function writeCommentBody(params: {
  random: Random;
  line: string;
  side: "LEFT" | "RIGHT";
  repo: string;
}): string {
  const { random, line, repo } = params;
  const identifier = random.pick(line.match(/[A-Za-z_][A-Za-z0-9_]{2,}/g) ?? ["this"]);
  const sha = Array.from({ length: 40 }, () => random.int(0, 15).toString(16)).join("");
  // A suggestion replaces lines of the new file: GitHub offers it on RIGHT-side lines only.
  const suggestions = [
    () => `nit:\n\`\`\`suggestion\n${line.replace(/\s+$/, "")} /* ${identifier} */\n\`\`\``,
    () => `\`\`\`suggestion\n${line.replace(/\bacc\b/g, "sum")}\n\`\`\``,
  ];
  return random.pick([
    ...(params.side === "RIGHT" ? suggestions : []),
    () => `Can \`${identifier}\` be zero here? The loop below assumes it is not.`,
    () => `nit: \`${identifier}\` could be \`const\`.`,
    () => `Why not reuse \`${identifier}\` from the caller instead of recomputing it?`,
    () => "This can overflow when `n` is close to `SIZE_MAX`; add a check or a comment.",
    () => `Is this covered by a test? I don't see one exercising \`${identifier}\`.`,
    () => `https://github.com/${repo}/commit/${sha}`,
    () => `Concept ACK, but the naming of \`${identifier}\` is confusing next to the header.`,
    () => `> ${line.trim()}\n\nThis duplicates the check a few lines up.`,
    () => "style: we put the opening brace on the same line elsewhere.",
  ])();
}

/** The commentable lines of a hunk: GitHub anchors on added, deleted and context lines. */
function pickLine(random: Random, hunk: PatchHunk): number {
  const changed = hunk.lines.flatMap((line, index) => (line.kind === " " ? [] : [index]));
  return random.chance(0.8) && changed.length > 0
    ? random.pick(changed)
    : random.int(0, hunk.lines.length - 1);
}

const isoAfter = (start: Date, hours: number) =>
  new Date(start.getTime() + hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * Generates `pulls` pull requests of `repo`, one every `daysBetween` days from `from`, written
 * by `authors` and reviewed by `reviewers` (each takes part in a pull request with probability
 * 0.6, leaving one to four comments). About one in seven is closed unmerged (no `files`).
 */
export function generateReviewHistory(params: {
  seed: number;
  pulls: number;
  reviewers: readonly string[];
  authors: readonly string[];
  repo?: string;
  from?: string;
  daysBetween?: number;
}): GeneratedPull[] {
  const random = createRandom(params.seed);
  const repo = params.repo ?? "acme/widgets";
  const from = new Date(params.from ?? "2021-01-04T10:00:00Z");
  let nextId = 400_000_000 + params.seed * 1_000;
  const newId = () => (nextId += random.int(1, 40));
  const sha = () => Array.from({ length: 40 }, () => random.int(0, 15).toString(16)).join("");
  const history: GeneratedPull[] = [];
  let number = 100;
  for (let index = 0; index < params.pulls; index++) {
    number += random.int(1, 3);
    const author = random.pick(params.authors);
    const createdAt = new Date(from.getTime() + index * (params.daysBetween ?? 9) * 86_400_000);
    const merged = random.chance(6 / 7);
    const headSha = sha();
    const baseSha = sha();
    const files: SyntheticFile[] = [];
    for (const module of MODULES.filter(() => random.chance(0.25)).slice(0, 3)) {
      const oldLines = writeSourceFile({ random, module, functions: random.int(3, 6) });
      files.push(
        changeFile({ random, filename: `src/${module}.c`, oldLines, edits: random.int(1, 4) }),
      );
    }
    if (files.length === 0 || random.chance(0.15)) {
      const module = random.pick(MODULES);
      files.push(
        addFile({
          filename: `src/tests_${module}_${number}.c`,
          lines: writeSourceFile({ random, module, functions: 1 }),
        }),
      );
    }
    const reviews: GeneratedPull["reviews"] = [];
    const comments: GeneratedComment[] = [];
    const closedHours = random.int(48, 400);
    for (const reviewer of params.reviewers) {
      if (reviewer === author || !random.chance(0.6)) continue;
      const reviewId = newId();
      const reviewedAt = isoAfter(createdAt, random.int(2, closedHours - 1));
      reviews.push({
        id: reviewId,
        user: reviewer,
        state: random.pick(["COMMENTED", "COMMENTED", "CHANGES_REQUESTED", "APPROVED"]),
        submitted_at: reviewedAt,
        commit_id: headSha,
        body: "",
      });
      for (let count = random.int(1, 4); count > 0; count--) {
        const file = random.pick(files);
        const hunk = random.pick(file.hunks);
        const lineIndex = pickLine(random, hunk);
        const line = hunk.lines[lineIndex];
        if (!line) continue;
        const side = line.kind === "-" ? "LEFT" : "RIGHT";
        const lineNumber = (side === "LEFT" ? line.oldLine : line.newLine) ?? 1;
        const position =
          file.hunks
            .slice(0, file.hunks.indexOf(hunk))
            .reduce((sum, h) => sum + h.lines.length + 1, 0) +
          lineIndex +
          1;
        const outdated = random.chance(0.2);
        const id = newId();
        const comment: GeneratedComment = {
          id,
          pull_request_review_id: reviewId,
          user: reviewer,
          path: file.filename,
          diff_hunk: renderDiffHunk(hunk, lineIndex),
          position: outdated ? null : position,
          original_position: position,
          line: outdated ? null : lineNumber,
          original_line: lineNumber,
          side,
          start_line: null,
          original_start_line: null,
          start_side: null,
          commit_id: headSha,
          original_commit_id: headSha,
          in_reply_to_id: null,
          created_at: reviewedAt,
          updated_at: reviewedAt,
          author_association: "MEMBER",
          body: writeCommentBody({ random, line: line.text, side, repo }),
          html_url: `https://github.com/${repo}/pull/${number}#discussion_r${id}`,
        };
        comments.push(comment);
        if (random.chance(0.3)) {
          const replyId = newId();
          const repliedAt = isoAfter(new Date(reviewedAt), 1);
          comments.push({
            ...comment,
            id: replyId,
            pull_request_review_id: newId(),
            user: author,
            in_reply_to_id: id,
            created_at: repliedAt,
            updated_at: repliedAt,
            author_association: "CONTRIBUTOR",
            body: random.pick(REPLIES),
            html_url: `https://github.com/${repo}/pull/${number}#discussion_r${replyId}`,
          });
        }
      }
    }
    const closedAt = isoAfter(createdAt, closedHours);
    const additions = files.reduce((sum, file) => sum + file.additions, 0);
    const deletions = files.reduce((sum, file) => sum + file.deletions, 0);
    history.push({
      repo,
      number,
      title: `${random.pick(["Fix", "Simplify", "Speed up", "Document"])} ${files[0]?.filename ?? ""}`,
      user: author,
      state: "closed",
      created_at: isoAfter(createdAt, 0),
      merged_at: merged ? closedAt : null,
      closed_at: closedAt,
      base: { ref: "master", sha: baseSha },
      head: { ref: `${author}/change-${number}`, sha: headSha },
      additions,
      deletions,
      changed_files: files.length,
      reviews,
      comments,
      ...(merged
        ? {
            files: files.map((file) => ({
              filename: file.filename,
              status: file.status,
              additions: file.additions,
              deletions: file.deletions,
              changes: file.additions + file.deletions,
              previous_filename: null,
              patch: renderPatch(file),
            })),
            merge_base: baseSha,
          }
        : {}),
    });
  }
  return history;
}

/** Writes a history as the recorded file is stored: JSON lines, gzipped when `path` ends in .gz. */
export function writeReviewHistory(path: string, pulls: readonly GeneratedPull[]): void {
  const text = `${pulls.map((pull) => JSON.stringify(pull)).join("\n")}\n`;
  writeFileSync(path, path.endsWith(".gz") ? gzipSync(text) : text);
}
