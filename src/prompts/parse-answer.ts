import { NO_COMMENT, type ReviewAnswer } from "./review-answer.js";

const commentPattern = /^([LR])(\d+):\s*(\S.*)$/;

/** Thrown when model output does not follow the answer format of `prompts/README.md`. */
export class AnswerFormatError extends Error {
  override name = "AnswerFormatError";
}

/**
 * Parses a model's answer for one hunk. Only the first non-empty line counts (models sometimes
 * keep talking); surrounding whitespace is ignored, and so are backticks wrapped around the whole
 * line (`` `NO_COMMENT` ``) — but not a code span that ends a comment (`R3: use \`x\``).
 *
 * @throws AnswerFormatError when that line is neither `NO_COMMENT` nor `R<n>: text` / `L<n>: text`.
 */
export function parseAnswer(text: string): ReviewAnswer {
  const firstLine = text
    .split("\n")
    .map((line) => {
      const trimmed = line.trim();
      return trimmed.startsWith("`") ? trimmed.replace(/^`+|`+$/g, "").trim() : trimmed;
    })
    .find((line) => line.length > 0);
  if (firstLine === undefined) throw new AnswerFormatError("The model answered with nothing");
  if (firstLine === NO_COMMENT) return { kind: "no-comment" };
  const match = commentPattern.exec(firstLine);
  if (!match) {
    throw new AnswerFormatError(
      `Answer "${firstLine.slice(0, 80)}" is neither ${NO_COMMENT} nor "R<line>: <comment>" / "L<line>: <comment>"`,
    );
  }
  const [, sideLetter, lineText, body] = match;
  const line = Number(lineText);
  if (line < 1) throw new AnswerFormatError(`Answer targets line ${line}: lines start at 1`);
  return { kind: "comment", side: sideLetter === "L" ? "LEFT" : "RIGHT", line, body: body ?? "" };
}
