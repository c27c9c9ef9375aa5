import { describe, expect, it } from "vitest";
import { COMMENT_ONLY_REGEX } from "../../src/prompts/review-answer.js";
import {
  mostFrequentComment,
  retrievalOnlyComment,
} from "../../src/retrieval/baseline-comments.js";
import { buildPrecedentIndex } from "../../src/retrieval/precedent-index.js";

const line = (content: string) => ({ kind: "add" as const, newLine: 1, content });
const index = buildPrecedentIndex({
  comments: [
    { text: "nit: typo", code: "int x;", day: 1 },
    { text: "Use secp256k1_scalar_add here.", code: "secp256k1_scalar_mul(&r, &a, &b);", day: 2 },
    { text: "nit: typo", code: "int y;", day: 3 },
    { text: "Concept ACK", code: "int z;", day: 4 },
    { text: "Concept ACK", code: "int w;", day: 5 },
  ].map((entry, position) => ({
    id: `C${position}`,
    pullNumber: position,
    path: "src/a.c",
    createdAt: `2024-01-0${entry.day}T00:00:00Z`,
    hunk: { lines: [line(entry.code)] },
    target: entry.text,
  })),
  builtAt: "2024-02-01T00:00:00Z",
});

describe("the text baselines", () => {
  it("most frequent: the comment said most often, the newest among equals", () => {
    expect(mostFrequentComment(index)).toBe("Concept ACK");
    expect(mostFrequentComment({ ...index, precedents: [] })).toBeUndefined();
  });

  it("retrieval-only: the nearest precedent's comment, the most frequent one when none matches", () => {
    const hunk = (content: string) => ({ path: "src/b.c", lines: [line(content)] });
    expect(retrievalOnlyComment({ index, hunk: hunk("secp256k1_scalar_mul(&x, &y, &z);") })).toBe(
      "Use secp256k1_scalar_add here.",
    );
    expect(retrievalOnlyComment({ index, hunk: hunk("return;") })).toBe("Concept ACK");
  });

  it("asks models for a comment, never NO_COMMENT", () => {
    const whole = new RegExp(`^(?:${COMMENT_ONLY_REGEX})$`);
    expect(whole.test("R12: Use a constant-time comparison here.")).toBe(true);
    expect(whole.test("NO_COMMENT")).toBe(false);
  });
});
