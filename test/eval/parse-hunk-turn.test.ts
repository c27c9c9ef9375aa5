import { describe, expect, it } from "vitest";
import { parseHunkTurn } from "../../src/eval/parse-hunk-turn.js";
import { buildHunkTurn } from "../../src/prompts/build-chat-turns.js";
import { loadPrompts } from "../../src/prompts/load-prompts.js";
import { hunksOfFixture } from "./support/make-dataset.js";

const templates = await loadPrompts();
const fixtures = ["mixed-changes", "no-newline-at-eof", "prompt-injection", "multi-thousand-lines"];
const hunks = (await Promise.all(fixtures.map(hunksOfFixture))).flat();

describe("parseHunkTurn", () => {
  it.each(hunks.map((hunk) => [`${hunk.path} ${hunk.header}`, hunk] as const))(
    "reads %s back into the hunk the review sends",
    (_name, hunk) => {
      const turn = buildHunkTurn({ templates, path: hunk.path, hunk });
      const parsed = parseHunkTurn({ templates, turn });
      expect(parsed.path).toBe(hunk.path);
      expect(parsed.header).toBe(hunk.header);
      // Every number a prompt or an answer can name survives; so does every line's text.
      expect(parsed.lines).toEqual(hunk.lines);
    },
  );

  it("refuses a turn rendered with another hunk template", () => {
    const [hunk] = hunks;
    if (!hunk) throw new Error("fixture has no hunk");
    const turn = buildHunkTurn({
      templates: { ...templates, hunk: "Path: {{path}}\n{{hunk}}" },
      path: hunk.path,
      hunk,
    });
    expect(() => parseHunkTurn({ templates, turn })).toThrow(/does not follow prompts\/hunk\.md/);
  });

  it("refuses a row whose anchor does not match its marker", () => {
    const turn = "File: a.ts\n\n@@ -1,1 +1,1 @@\nL1 +added on the old side";
    expect(() => parseHunkTurn({ templates, turn })).toThrow(/row 1 .*do not match/);
  });
});
