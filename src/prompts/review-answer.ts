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

/**
 * The answer format as a regular expression an LLM server can constrain decoding to (vLLM's
 * `structured_outputs.regex`, compiled by xgrammar; also valid JavaScript): `NO_COMMENT`, or an
 * anchor, a colon, a space and one line of up to 300 characters. The whole answer must match.
 */
export const ANSWER_REGEX = "(NO_COMMENT|[LR][1-9][0-9]{0,5}: [^\\n]{1,300})";
