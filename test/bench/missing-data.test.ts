import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * On a clone with nothing beside it, the commands that read the project's shared data end with
 * one line that names the missing file and how to get it, and a non-zero exit: no ENOENT stack.
 */
const root = resolve(import.meta.dirname, "../..");
const emptyShared = mkdtempSync(join(tmpdir(), "no-shared-"));
const missingHistory = join(emptyShared, "history.jsonl.gz");
afterAll(() => rmSync(emptyShared, { recursive: true, force: true }));

function run(script: string, args: string[]) {
  const result = spawnSync(join(root, "node_modules/.bin/tsx"), [script, ...args], {
    cwd: root,
    env: { ...process.env, SHARED_DIR: emptyShared },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("a command that needs the shared data, without it", () => {
  it.each([
    ["npm run demo:embedded", "bench/demo-embedded-review.ts", []],
    ["npm run bench:serve-cpu", "bench/serve-cpu.ts", []],
  ])("%s names the missing history and SHARED_DIR in one line", (_name, script, args) => {
    const result = run(script, args);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    const expectedPath = join(emptyShared, "data/secp256k1-review-history.jsonl.gz");
    expect(result.stderr).toBe(`${result.stderr.split("\n")[0]}\n`);
    expect(result.stderr).toContain(`${expectedPath} is missing`);
    expect(result.stderr).toContain("SHARED_DIR");
  });

  it.each([
    ["npm run bench:feedback", "bench/feedback.ts", ["--history", missingHistory]],
    [
      "npm run bench:fidelity",
      "bench/fidelity.ts",
      ["--history", missingHistory, "--reviewer", "alice"],
    ],
  ])("%s names the --history file it cannot find in one line", (_name, script, args) => {
    const result = run(script, args);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`${result.stderr.split("\n")[0]}\n`);
    expect(result.stderr).toContain(`${missingHistory} is missing`);
  });
});
