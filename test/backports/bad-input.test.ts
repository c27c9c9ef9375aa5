import { execFileSync, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestRepo, type TestRepo } from "./support/make-git-repo.js";

let repo: TestRepo;
let scratch: string;
let shallowDir: string;

/** `npm run backports -- …` as a user runs it, without an LLM. */
function runTriage(args: string[]) {
  return spawnSync("node_modules/.bin/tsx", ["src/start/backports.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, DOTENV_CONFIG_PATH: "/dev/null", LLM_BASE_URL: "" },
  });
}

beforeAll(async () => {
  repo = await makeTestRepo();
  repo.tick();
  repo.git("branch", "release-1.0");
  repo.tick();
  repo.commit({ file: "src/a.c", content: "a\n", message: "core: fix a" });
  // A branch with its own root: it shares no history with main.
  repo.git("checkout", "-q", "--orphan", "unrelated");
  repo.commit({ file: "other", content: "other\n", message: "Unrelated root" });
  repo.git("checkout", "-q", "main");
  scratch = await mkdtemp(join(tmpdir(), "backports-bad-"));
  shallowDir = join(scratch, "shallow");
  execFileSync("git", [
    "clone",
    "-q",
    "--depth",
    "1",
    "--no-single-branch",
    `file://${repo.dir}`,
    shallowDir,
  ]);
});

afterAll(async () => {
  await repo.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

describe("npm run backports on bad input", () => {
  it("names an unknown branch and how to list the branches", () => {
    const run = runTriage([
      "--git-dir",
      repo.dir,
      "--dev",
      "main",
      "--stable",
      "release-9.9",
      "--out",
      join(scratch, "a"),
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--stable release-9.9: unknown branch or revision");
    expect(run.stderr).toContain("branch -a");
  });

  it("says a stable branch that shares no history with dev has no merge base", () => {
    const run = runTriage([
      "--git-dir",
      repo.dir,
      "--dev",
      "main",
      "--stable",
      "unrelated",
      "--out",
      join(scratch, "b"),
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--stable unrelated has no merge base with --dev main");
  });

  it("refuses a shallow clone and says how to unshallow it", () => {
    const run = runTriage([
      "--git-dir",
      shallowDir,
      "--dev",
      "main",
      "--stable",
      "release-1.0",
      "--out",
      join(scratch, "c"),
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("is a shallow clone");
    expect(run.stderr).toContain("fetch --unshallow");
  });

  it("says an empty range holds nothing to judge", () => {
    const run = runTriage([
      "--git-dir",
      repo.dir,
      "--dev",
      "main",
      "--stable",
      "release-1.0",
      "--since",
      "main",
      "--out",
      join(scratch, "d"),
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /the range main\.\.main holds no non-merge commit: nothing to judge/,
    );
  });

  it("says which option is missing", () => {
    const run = runTriage(["--git-dir", repo.dir, "--dev", "main", "--out", join(scratch, "e")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--stable is required");
  });

  it("says a folder that is not a repository is not one", () => {
    const run = runTriage([
      "--git-dir",
      scratch,
      "--dev",
      "main",
      "--stable",
      "release-1.0",
      "--out",
      join(scratch, "f"),
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`--git-dir ${scratch} is not a git repository`);
  });
});
