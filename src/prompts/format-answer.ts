import { NO_COMMENT, type ReviewAnswer } from "./review-answer.js";

/**
 * Writes an answer as the single assistant line the model is trained on and asked for:
 * `NO_COMMENT`, or `R<line>: <comment>` / `L<line>: <comment>`. Whitespace in the comment,
 * newlines included, collapses to single spaces so the answer stays one line.
 *
 * @throws Error when a comment's body is empty or its line is not a positive integer.
 */
export function formatAnswer(answer: ReviewAnswer): string {
  if (answer.kind === "no-comment") return NO_COMMENT;
  const body = answer.body.replace(/\s+/g, " ").trim();
  if (!body) throw new Error("Cannot format a review answer with an empty comment body");
  if (!Number.isInteger(answer.line) || answer.line < 1) {
    throw new Error(`Cannot format a review answer for line ${answer.line}: lines start at 1`);
  }
  return `${answer.side === "LEFT" ? "L" : "R"}${answer.line}: ${body}`;
}
