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
 * The longest comment the answer format admits, in characters: the bot posts at most this much
 * (sanitiseComment), so a model held to the format never writes past what would be cut.
 */
export const MAX_ANSWER_COMMENT_CHARS = 200;

/**
 * The answer format as a regular expression an LLM server can constrain decoding to (vLLM's
 * `structured_outputs.regex`, compiled by xgrammar; also valid JavaScript): `NO_COMMENT`, or an
 * anchor, a colon, a space and one line of up to MAX_ANSWER_COMMENT_CHARS characters, then
 * optionally the newline that ends the line. The whole answer must match. The newline is what lets
 * a constrained model end its line: without it the model, which wants to break the line, could
 * only write on until the bound; with it, ANSWER_STOP ends the answer there.
 */
export const ANSWER_REGEX = `(NO_COMMENT|[LR][1-9][0-9]{0,5}: [^\\n]{1,${MAX_ANSWER_COMMENT_CHARS}})\\n?`;

/**
 * The stop sequence sent with every answer request (OpenAI's `stop`, which vLLM honours): the
 * answer is one line, so generation ends where the line does; the server leaves it out of the
 * text. Without it a model runs on to max_tokens writing lines the parser throws away.
 */
export const ANSWER_STOP = "\n";

/**
 * The answer format without its `NO_COMMENT` alternative: a model asked with it must say
 * something, so "what would they say here" is measured on every hunk the reviewer commented on,
 * apart from whether the model would have spoken there.
 */
export const COMMENT_ONLY_REGEX = ANSWER_REGEX.replace("NO_COMMENT|", "");
if (COMMENT_ONLY_REGEX === ANSWER_REGEX) {
  throw new Error(
    "ANSWER_REGEX no longer starts with a NO_COMMENT alternative: update COMMENT_ONLY_REGEX",
  );
}
