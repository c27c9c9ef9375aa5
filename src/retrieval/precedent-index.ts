import { z } from "zod";
import type { DiffHunk } from "../prompts/diff-hunk.js";

/**
 * One of the reviewer's kept comments as a precedent: the code it was made on and what they said.
 * `at` orders precedents in time (a training example only sees earlier ones).
 */
export const precedentSchema = z.object({
  /** The review comment's GraphQL id: an example never retrieves itself. */
  id: z.string().min(1),
  pullNumber: z.number().int(),
  path: z.string(),
  /** When the comment was made (ISO 8601). */
  at: z.string(),
  /** The hunk's code, one diff line per line without anchors or markers: what queries match. */
  code: z.string(),
  /** What the reviewer said: the training target (their comment's first meaningful sentence). */
  comment: z.string().min(1),
});
export type Precedent = z.infer<typeof precedentSchema>;

/** Version of the stored index's shape; a reader refuses any other. */
export const PRECEDENT_INDEX_FORMAT = 1;

/**
 * A reviewer's precedents in one repository: built by the history stage from the training part
 * of their history (never the holdout), stored beside the dataset, and snapshotted under each
 * adapter trained on that dataset (src/retrieval/retrieval-store.ts). The ranking statistics
 * (BM25) are derived when it is read: storing the documents is enough.
 */
export const precedentIndexSchema = z.object({
  format: z.literal(PRECEDENT_INDEX_FORMAT),
  builtAt: z.string(),
  precedents: z.array(precedentSchema),
});
export type PrecedentIndex = z.infer<typeof precedentIndexSchema>;

/** The code of a hunk as retrieval reads it: its lines' content, anchors and markers left out. */
export function hunkCode(hunk: Pick<DiffHunk, "lines">): string {
  return hunk.lines.map((line) => line.content).join("\n");
}

/**
 * The index over kept comments (each with the hunk it sits in, as the dataset shows it), oldest
 * first. Pure.
 */
export function buildPrecedentIndex(params: {
  comments: readonly {
    id: string;
    pullNumber: number;
    path: string;
    createdAt: string;
    hunk: Pick<DiffHunk, "lines">;
    target: string;
  }[];
  builtAt: string;
}): PrecedentIndex {
  const precedents = params.comments
    .filter((comment) => comment.target.trim() !== "")
    .map((comment) => ({
      id: comment.id,
      pullNumber: comment.pullNumber,
      path: comment.path,
      at: comment.createdAt,
      code: hunkCode(comment.hunk),
      comment: comment.target,
    }))
    .sort((left, right) => left.at.localeCompare(right.at) || left.id.localeCompare(right.id));
  return { format: PRECEDENT_INDEX_FORMAT, builtAt: params.builtAt, precedents };
}
