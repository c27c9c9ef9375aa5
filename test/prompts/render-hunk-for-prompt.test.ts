import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildHunkTurn, buildSystemTurn } from "../../src/prompts/build-chat-turns.js";
import { fillTemplate } from "../../src/prompts/fill-template.js";
import { loadPrompts } from "../../src/prompts/load-prompts.js";
import { parseSingleHunk } from "../../src/prompts/parse-hunks.js";
import { renderHunkForPrompt } from "../../src/prompts/render-hunk-for-prompt.js";
import { loadReviewPrompts } from "../../src/review/load-review-prompts.js";

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
    // The reads run in parallel; the message names every missing file, whichever failed first.
    const error = await loadPrompts({ dir: "/nonexistent" }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(
      /nonexistent\/system\.md.*nonexistent\/hunk\.md.*nonexistent\/precedents\.md/,
    );
  });

  it("name only the file that is missing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "prompts-"));
    await writeFile(join(dir, "system.md"), "s\n");
    await writeFile(join(dir, "precedents.md"), "p\n");
    await expect(loadPrompts({ dir })).rejects.toThrow(
      /^Cannot read prompt template \S*\/hunk\.md: the prompts\/ folder/,
    );
    await writeFile(join(dir, "hunk.md"), "h\n\n");
    await expect(loadPrompts({ dir })).resolves.toEqual({
      system: "s",
      hunk: "h",
      precedents: "p",
    });
  });

  it("name the review stage's own templates when only the shared ones are there", async () => {
    const dir = await mkdtemp(join(tmpdir(), "prompts-"));
    for (const name of ["system", "hunk", "precedents", "few-shot", "summary"]) {
      await writeFile(join(dir, `${name}.md`), `${name}\n`);
    }
    const error = await loadReviewPrompts({ dir }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/\/hunk-note\.md.*\/summary-diff\.md/);
    expect(error?.message).not.toMatch(/\/summary\.md|\/few-shot\.md/);
    await writeFile(join(dir, "hunk-note.md"), "note\n");
    await writeFile(join(dir, "summary-diff.md"), "diff\n");
    await expect(loadReviewPrompts({ dir })).resolves.toEqual({
      system: "system",
      hunk: "hunk",
      precedents: "precedents",
      fewShot: "few-shot",
      hunkNote: "note",
      summary: "summary",
      summaryDiff: "diff",
    });
  });
});
