import type { DiffSide } from "./diff-hunk.js";

/** The answer line that means "the reviewer would let this hunk pass". */
export const NO_COMMENT = "NO_COMMENT";

/**
 * What the model answers for one hunk (format in `prompts/README.md`): nothing, or one comment on
 * one line of the hunk, named by GitHub's `side` + `line`.
 */
export type ReviewAnswer =
  | { kind: "no-comment" }
  | { kind: "comment"; side: DiffSide; line: number; body: string };
