import type { Hunk } from "../review/parse-diff-hunks.js";

/** One hunk of a pull request the reviewer took part in, with when they commented on it. */
export interface WhereHunk {
  hunk: Hunk;
  /** Creation times (ISO) of the reviewer's kept comments inside this hunk; empty: let pass. */
  commentTimes: string[];
}

/** A pull request the reviewer took part in (not their own), every hunk of its final diff. */
export interface WherePull {
  number: number;
  createdAt: string;
  hunks: WhereHunk[];
}

/** One kept review comment by the reviewer (on any pull request, with or without a diff). */
export interface WhereComment {
  pullNumber: number;
  path: string;
  createdAt: string;
}

/** Everything the where-model may learn from about one reviewer in one repository. */
export interface WhereHistory {
  pulls: WherePull[];
  comments: WhereComment[];
}

/** True when the reviewer commented on the hunk before `before` (ISO; all comments if absent). */
export function isCommented(hunk: WhereHunk, before?: string): boolean {
  return before === undefined
    ? hunk.commentTimes.length > 0
    : hunk.commentTimes.some((time) => time < before);
}
