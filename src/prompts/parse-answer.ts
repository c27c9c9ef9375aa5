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
    .map((line) =>
      line
        .trim()
        // Wrapping a model may add: backticks, quotes, bold around the anchor, a full stop.
        .replace(/^[`"']+|[`"']+(?=[.!]?$)/g, "")
        .replace(/^\*\*([LR]\d+)\*\*/i, "$1")
        .trim(),
    )
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
