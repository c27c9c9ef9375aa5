import { describe, expect, it } from "vitest";
import { formatAnswer } from "../../src/prompts/format-answer.js";
import { AnswerFormatError, parseAnswer } from "../../src/prompts/parse-answer.js";
import { ANSWER_REGEX, ANSWER_STOP, type ReviewAnswer } from "../../src/prompts/review-answer.js";
import { MAX_COMMENT_CHARS } from "../../src/review/sanitise-comment.js";

describe("answer format", () => {
  it.each<[string, ReviewAnswer, string]>([
    ["no comment", { kind: "no-comment" }, "NO_COMMENT"],
    [
      "right side",
      { kind: "comment", side: "RIGHT", line: 14, body: "Why not a Map?" },
      "R14: Why not a Map?",
    ],
    ["left side", { kind: "comment", side: "LEFT", line: 3, body: "Keep this." }, "L3: Keep this."],
  ])("formats and parses %s", (_name, answer, line) => {
    expect(formatAnswer(answer)).toBe(line);
    expect(parseAnswer(line)).toEqual(answer);
  });

  it("keeps a comment on one line", () => {
    const answer = formatAnswer({ kind: "comment", side: "RIGHT", line: 2, body: "a\n\n b  c" });
    expect(answer).toBe("R2: a b c");
  });

  it.each([
    ["only the first non-empty line", "\n  R7: Rename it.\nmore talk", "R7: Rename it."],
    ["backticks", "`NO_COMMENT`", "NO_COMMENT"],
    ["a wrapped answer", "`R2: Use a Map.`", "R2: Use a Map."],
    ["a comment ending in a code span", "R3: Use `size_t`", "R3: Use `size_t`"],
    ["a comment starting with a code span", "R3: `n` overflows", "R3: `n` overflows"],
  ])("parses %s", (_name, text, expected) => {
    expect(formatAnswer(parseAnswer(text))).toBe(expected);
  });

  // Servers that cannot constrain decoding: the meaning is clear, so take it.
  it.each([
    ["lower case", "no comment", "NO_COMMENT"],
    ["sentence case with a full stop", "No comment.", "NO_COMMENT"],
    ["a space for the underscore", "NO COMMENT", "NO_COMMENT"],
    ["backticks and a full stop", "`NO_COMMENT`.", "NO_COMMENT"],
    ["quotes", '"NO_COMMENT"', "NO_COMMENT"],
    ["a lower-case anchor", "r12: Rename it.", "R12: Rename it."],
    ["spaces around the colon", "L3 : Keep this.", "L3: Keep this."],
    ["bold anchor", "**R7**: Why?", "R7: Why?"],
  ])("tolerates %s", (_name, text, expected) => {
    expect(formatAnswer(parseAnswer(text))).toBe(expected);
  });

  it.each([
    ["NO_COMMENT", true],
    ["R14: Why not a Map?", true],
    ["L3: Keep this.", true],
    [
      formatAnswer({
        kind: "comment",
        side: "RIGHT",
        line: 99999,
        body: "x".repeat(MAX_COMMENT_CHARS),
      }),
      true,
    ],
    // The newline that ends the line, where the stop sequence ends the answer.
    ["NO_COMMENT\n", true],
    ["R14: Why not a Map?\n", true],
    ["no comment", false],
    ["NO_COMMENT\nR1: and more", false],
    ["R14: Why not a Map?\n\n", false],
    ["R0: line zero", false],
    ["R12:", false],
    ["Sure! NO_COMMENT", false],
    // Bounded to what the bot would post: the model cannot write past the cut.
    [`R1: ${"x".repeat(MAX_COMMENT_CHARS + 1)}`, false],
  ])("the decoding constraint admits %j: %s", (text, admitted) => {
    expect(new RegExp(`^(?:${ANSWER_REGEX})$`).test(text)).toBe(admitted);
  });

  it("stops where the decoding constraint lets a line end", () => {
    // A stop sequence the constraint never admits would never fire.
    expect(new RegExp(`^(?:${ANSWER_REGEX})$`).test(`R1: x${ANSWER_STOP}`)).toBe(true);
  });

  it.each([
    ["empty", ""],
    ["prose", "I would say nothing here"],
    ["no anchor", "14: Why?"],
    ["line zero", "R0: Why?"],
    ["no text", "R12:"],
  ])("rejects %s", (_name, text) => {
    expect(() => parseAnswer(text)).toThrow(AnswerFormatError);
  });

  it("refuses to format an empty comment", () => {
    expect(() => formatAnswer({ kind: "comment", side: "RIGHT", line: 1, body: " " })).toThrow(
      /empty/,
    );
  });
});
