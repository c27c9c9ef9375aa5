import { describe, expect, it } from "vitest";
import { buildHunkTurn, buildSystemTurn } from "../../src/prompts/build-chat-turns.js";
import { fillTemplate } from "../../src/prompts/fill-template.js";
import { loadPrompts } from "../../src/prompts/load-prompts.js";
import { parseSingleHunk } from "../../src/prompts/parse-hunks.js";
import { renderHunkForPrompt } from "../../src/prompts/render-hunk-for-prompt.js";

const hunk = parseSingleHunk(
  [
    "@@ -8,4 +8,4 @@ function total(items) {",
    "   let sum = 0;",
    "-  for (const i of items) sum += i.price;",
    "+  for (const item of items) sum += item.price;",
    "   return sum;",
  ].join("\n"),
);

describe("renderHunkForPrompt", () => {
  it("prefixes each line with its anchor, aligned, then the diff marker", () => {
    expect(renderHunkForPrompt(hunk)).toBe(
      [
        "@@ -8,4 +8,4 @@ function total(items) {",
        "R8     let sum = 0;",
        "L9  -  for (const i of items) sum += i.price;",
        "R9  +  for (const item of items) sum += item.price;",
        "R10    return sum;",
      ].join("\n"),
    );
  });
});

describe("prompt templates", () => {
  it("fill the shipped system and hunk templates", async () => {
    const templates = await loadPrompts();
    const system = buildSystemTurn({ templates, reviewerLogin: "alice", repoFullName: "o/r" });
    expect(system).toContain("how alice reviews pull requests in the repository o/r");
    expect(system).not.toMatch(/\{\{/);
    const turn = buildHunkTurn({ templates, path: "src/total.js", hunk });
    expect(turn).toBe(`File: src/total.js\n\n${renderHunkForPrompt(hunk)}`);
  });

  it("fail loudly on a placeholder without a value, and do not expand values", () => {
    expect(() => fillTemplate("{{who}} {{what}}", { who: "a" })).toThrow(/\{\{what\}\}/);
    expect(fillTemplate("{{a}}", { a: "{{a}}" })).toBe("{{a}}");
  });

  it("name the missing file when the folder is wrong", async () => {
    await expect(loadPrompts({ dir: "/nonexistent" })).rejects.toThrow(/nonexistent\/system\.md/);
  });
});
