import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A throw-away git repository made with `git init`, with a clock the test moves. */
export interface TestRepo {
  dir: string;
  /** Runs git with an argument array at the current fake time; returns trimmed stdout. */
  git(...args: string[]): string;
  /** Writes a file, commits it with `message`, returns the new commit's sha. */
  commit(params: { file: string; content: string; message: string }): string;
  /** Moves the clock by `days`. */
  tick(days?: number): void;
  cleanup(): Promise<void>;
}

const EPOCH = Date.parse("2024-01-01T12:00:00Z");

/** A new repository on branch `main` with one commit (README). */
export async function makeTestRepo(): Promise<TestRepo> {
  const dir = await mkdtemp(join(tmpdir(), "backports-repo-"));
  let day = 0;
  const git = (...args: string[]): string => {
    const date = new Date(EPOCH + day * 86_400_000).toISOString();
    return execFileSync("git", args, {
      cwd: dir,
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "Alice Example",
        GIT_AUTHOR_EMAIL: "alice@example.com",
        GIT_COMMITTER_NAME: "Alice Example",
        GIT_COMMITTER_EMAIL: "alice@example.com",
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_CONFIG_GLOBAL: "/dev/null",
      },
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
  };
  git("init", "-q", "-b", "main");
  const commit = (params: { file: string; content: string; message: string }) => {
    const path = join(dir, params.file);
    execFileSync("mkdir", ["-p", join(path, "..")]);
    writeFileSync(path, params.content);
    git("add", "--", params.file);
    git("commit", "-q", "-m", params.message);
    return git("rev-parse", "HEAD");
  };
  commit({ file: "README", content: "hello\n", message: "Initial commit" });
  return {
    dir,
    git,
    commit,
    tick: (days = 1) => {
      day += days;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** What buildBackportHistory made, for the assertions. */
export interface BackportHistory {
  repo: TestRepo;
  /** Dev commits after release-1.0 forked, and which of them went to release-1.0. */
  oldFixes: string[];
  oldFeatures: string[];
  /** Picked to release-1.0 without -x: found only by patch id. */
  pickedWithoutNote: string;
  /** Dev commits after release-1.1 forked. */
  newCommits: string[];
  /** Of newCommits, already on release-1.1 (one with -x, one through a merge of a PR). */
  alreadyPicked: string[];
}

/**
 * A small project with two stable branches: release-1.0 forked early and took the fixes that
 * followed (cherry-pick -x, one without -x), release-1.1 forked later and took two so far.
 * Fix commits touch src/core/, features src/feature/ — a pattern the verdict model can learn.
 */
export async function buildBackportHistory(
  params: { newCommitCount?: number } = {},
): Promise<BackportHistory> {
  const repo = await makeTestRepo();
  const { git, commit, tick } = repo;
  tick();
  git("branch", "release-1.0");
  const oldFixes: string[] = [];
  const oldFeatures: string[] = [];
  for (let index = 0; index < 8; index += 1) {
    tick();
    oldFixes.push(
      commit({
        file: `src/core/fix-${index}.c`,
        content: `int fix${index}(void) { return ${index}; }\n`,
        message: `core: fix crash when parsing entry ${index}\n\nThe parser read past the buffer; this is a regression.\n\nFixes: #${100 + index}`,
      }),
    );
    tick();
    oldFeatures.push(
      commit({
        file: `src/feature/widget-${index}.c`,
        content: `int widget${index}(void) { return ${index}; }\n`,
        message: `feature: add widget ${index}\n\nNew option for the widget toolkit.`,
      }),
    );
  }
  tick(3);
  git("checkout", "-q", "release-1.0");
  const withoutNote = oldFixes[oldFixes.length - 1] as string;
  for (const sha of oldFixes.slice(0, -1)) {
    tick();
    git("cherry-pick", "-x", sha);
  }
  tick();
  git("cherry-pick", withoutNote);
  git("checkout", "-q", "main");
  tick();
  git("branch", "release-1.1");
  const newCommits: string[] = [];
  const count = params.newCommitCount ?? 6;
  for (let index = 0; index < count; index += 1) {
    tick();
    const fix = index % 2 === 0;
    newCommits.push(
      commit({
        file: fix ? `src/core/new-fix-${index}.c` : `src/feature/new-widget-${index}.c`,
        content: `int item${index}(void) { return ${index}; }\n`,
        message: fix
          ? `core: fix crash when closing entry ${index}\n\nA use after free; a regression.\n\nFixes: #${200 + index}`
          : `feature: add gadget ${index}\n\nNew option for the gadget toolkit <b>bold</b>.`,
      }),
    );
  }
  // A pull request: its commit was written long before the merge that landed it on main.
  git("checkout", "-q", "-b", "topic", "main");
  tick();
  const topic = commit({
    file: "src/core/topic.c",
    content: "int topic(void) { return 1; }\n",
    message: "core: fix leak in topic handling",
  });
  git("checkout", "-q", "main");
  tick(10);
  git("merge", "-q", "--no-ff", "-m", "Merge pull request #300 from alice/topic", "topic");
  newCommits.push(topic);
  tick();
  git("checkout", "-q", "release-1.1");
  git("cherry-pick", "-x", newCommits[0] as string);
  tick();
  git("cherry-pick", "-x", topic);
  git("checkout", "-q", "main");
  return {
    repo,
    oldFixes,
    oldFeatures,
    pickedWithoutNote: withoutNote,
    newCommits,
    alreadyPicked: [newCommits[0] as string, topic],
  };
}
