import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { buildSystemTurn } from "../../src/prompts/build-chat-turns.js";
import { keepSystemTurn } from "../../src/prompts/keep-system-turn.js";
import { buildHunkMessages } from "../../src/review/build-hunk-messages.js";
import { loadReviewPrompts } from "../../src/review/load-review-prompts.js";
import { parseDiffHunks } from "../../src/review/parse-diff-hunks.js";

/** What the trainer's ChatML tokenizer keeps of a system turn (trainer/chatml_tokenizer.py). */
function trainerSystemText(system: string, systemTurn: string): string {
  const script = [
    "import sys, types",
    "from trainer.chatml_tokenizer import ChatMLTokenizer",
    "mode, text = sys.argv[1], sys.stdin.read()",
    "sys.stdout.write(ChatMLTokenizer.system_text(types.SimpleNamespace(system_turn=mode), text))",
  ].join("\n");
  return execFileSync("sh", ["scripts/python.sh", "-c", script, systemTurn], {
    input: system,
    encoding: "utf8",
  });
}

describe("an adapter is asked with the system turn it was trained on", async () => {
  const templates = await loadReviewPrompts();
  const system = buildSystemTurn({ templates, reviewerLogin: "sipa", repoFullName: "o/r" });
  const hunk = parseDiffHunks(
    [
      "diff --git a/x.c b/x.c",
      "--- a/x.c",
      "+++ b/x.c",
      "@@ -1,1 +1,2 @@",
      " int a;",
      "+int b;",
      "",
    ].join("\n"),
  )[0]?.hunks[0];

  it.each(["full", "first_paragraph"] as const)(
    "keeps what the trainer keeps (%s)",
    (systemTurn) => {
      expect(keepSystemTurn(system, systemTurn)).toBe(trainerSystemText(system, systemTurn));
    },
  );

  it("sends an adapter of the small profile the persona paragraph alone", () => {
    if (!hunk) throw new Error("the diff has a hunk");
    const base = { templates, reviewerLogin: "sipa", repoFullName: "o/r", hunk };
    const full = buildHunkMessages(base)[0]?.content ?? "";
    const short = buildHunkMessages({ ...base, systemTurn: "first_paragraph" })[0]?.content ?? "";
    expect(full.startsWith(short)).toBe(true);
    expect(short.length).toBeLessThan(full.length / 2);
    expect(short).not.toContain("\n\n");
  });
});
