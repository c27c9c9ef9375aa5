import { NO_COMMENT, type ReviewAnswer } from "./review-answer.js";

const commentPattern = /^([LR])(\d+)\s*:\s*(\S.*)$/i;
/** `NO_COMMENT` as models write it when nothing holds them to the format. */
const noCommentPattern = /^no[\s_-]?comment[.!]?$/i;

/** Thrown when model output does not follow the answer format of `prompts/README.md`. */
export class AnswerFormatError extends Error {
  override name = "AnswerFormatError";
}

/**
 * Parses a model's answer for one hunk. Only the first non-empty line counts (models sometimes
 * keep talking). Servers that constrain decoding to `ANSWER_REGEX` (review-answer.ts) always give the exact
 * format; for those that cannot, the reading is tolerant where the meaning is clear: `no
 * comment` in any case or spacing, backticks or quotes around the answer, a lower-case or bold
 * anchor, spaces around the colon.
 *
 * @throws AnswerFormatError when that line is neither `NO_COMMENT` nor `R<n>: text` / `L<n>: text`.
 */
export function parseAnswer(text: string): ReviewAnswer {
  const firstLine = text
    .split("\n")
    .map((line) => unwrapAnswerLine(line))
    .find((line) => line.length > 0);
  if (firstLine === undefined) throw new AnswerFormatError("The model answered with nothing");
  if (firstLine === NO_COMMENT || noCommentPattern.test(firstLine)) return { kind: "no-comment" };
  const match = commentPattern.exec(firstLine);
  if (!match) {
    throw new AnswerFormatError(
      `Answer "${firstLine.slice(0, 80)}" is neither ${NO_COMMENT} nor "R<line>: <comment>" / "L<line>: <comment>"`,
    );
  }
  const [, sideLetter, lineText, body] = match;
  const line = Number(lineText);
  if (line < 1) throw new AnswerFormatError(`Answer targets line ${line}: lines start at 1`);
  return {
    kind: "comment",
    side: sideLetter?.toUpperCase() === "L" ? "LEFT" : "RIGHT",
    line,
    body: body ?? "",
  };
}

/**
 * Undoes the wrapping a model may add: backticks or quotes around the whole line (with a full
 * stop after them), bold around the anchor. Only a line that *starts* wrapped is unwrapped, so a
 * code span that ends a comment (`R3: use \`size_t\``) stays whole.
 */
function unwrapAnswerLine(line: string): string {
  let text = line.trim();
  if (/^[`"']/.test(text)) text = text.replace(/^[`"']+/, "").replace(/[`"']+(?=[.!]?$)/, "");
  return text.replace(/^\*\*([LR]\d+)\*\*/i, "$1").trim();
}
