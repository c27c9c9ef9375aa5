import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dotEnvPath } from "../../src/start/load-dot-env.js";

/**
 * A developer's `.env` (say BOT_HANDLE=our-review-bot) must not reach the processes tests start:
 * they run with DOTENV_CONFIG_PATH=/dev/null (support/spawn-process.ts).
 */
const dir = mkdtempSync(join(tmpdir(), "dotenv-"));
writeFileSync(join(dir, ".env"), "BOT_HANDLE=our-review-bot\n");
const loader = new URL("../../src/start/load-dot-env.ts", import.meta.url).pathname;
const tsx = new URL("../../node_modules/.bin/tsx", import.meta.url).pathname;

/** BOT_HANDLE as a process started in `dir` (beside that .env) sees it after loadDotEnv. */
function botHandleSeen(env: Record<string, string>): string {
  const script = `import { loadDotEnv } from ${JSON.stringify(loader)}; loadDotEnv(); process.stdout.write(process.env.BOT_HANDLE ?? "(unset)");`;
  return execFileSync(tsx, ["--eval", script], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
  });
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loadDotEnv", () => {
  it("reads .env in the working directory by default", () => {
    expect(botHandleSeen({})).toBe("our-review-bot");
  });

  it("reads DOTENV_CONFIG_PATH instead when it is set", () => {
    expect(botHandleSeen({ DOTENV_CONFIG_PATH: "/dev/null" })).toBe("(unset)");
    expect(dotEnvPath({ DOTENV_CONFIG_PATH: "/etc/tech-lead-bot.env" })).toBe(
      "/etc/tech-lead-bot.env",
    );
  });

  it("never overrides the environment", () => {
    expect(botHandleSeen({ BOT_HANDLE: "from-env" })).toBe("from-env");
  });
});
