import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/** What scripts/start-embedded-llm.sh evals: the embedded stack's settings as shell lines. */
function printedEnv(env: Record<string, string>): string {
  return execFileSync("npx", ["--no-install", "tsx", "scripts/print-embedded-llm-env.ts"], {
    env: { PATH: process.env.PATH ?? "", HOME: "/home/tester", ...env },
    encoding: "utf8",
  });
}

describe("scripts/print-embedded-llm-env.ts", () => {
  it("fills in the embedded defaults", () => {
    expect(printedEnv({})).toContain("ADAPTERS_DIR='/home/tester/.cache/tech-lead-bot/adapters'\n");
  });

  it("lets a variable set explicitly win, so the training worker publishes where it was told", () => {
    const printed = printedEnv({ ADAPTERS_DIR: "/srv/demo adapters", LLM_TIMEOUT_MS: "1000" });
    expect(printed).toContain("ADAPTERS_DIR='/srv/demo adapters'\n");
    expect(printed).toContain("LLM_TIMEOUT_MS='1000'\n");
  });
});
