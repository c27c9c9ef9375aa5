import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCommitsFile } from "../../src/backports/commits-file.js";
import { exportCommits } from "../../src/backports/export-commits.js";
import { type BackportHistory, buildBackportHistory } from "./support/make-git-repo.js";

let history: BackportHistory;
let outDir: string;

beforeAll(async () => {
  history = await buildBackportHistory();
  outDir = await mkdtemp(join(tmpdir(), "backports-export-"));
});

afterAll(async () => {
  await history.repo.cleanup();
  await rm(outDir, { recursive: true, force: true });
});

describe("exportCommits", () => {
  it("labels dev commits from cherry-pick notes and patch ids, per stable branch", async () => {
    const outPath = join(outDir, "two.jsonl.gz");
    const { records } = await exportCommits({
      args: {
        help: false,
        gitDir: history.repo.dir,
        dev: "main",
        stables: ["release-1.0", "release-1.1"],
        outPath,
        repoName: "acme/shop",
      },
      onProgress: () => undefined,
    });
    expect(await readCommitsFile(outPath)).toEqual(records);
    const old = records.filter((record) => record.stable_branch === "release-1.0");
    // release-1.0's range ends where release-1.1 forks: the 16 commits made in between.
    expect(old.map((record) => record.sha)).toEqual(
      history.oldFixes.flatMap((fix, index) => [fix, history.oldFeatures[index]]),
    );
    for (const record of old) {
      expect(record.backported).toBe(history.oldFixes.includes(record.sha));
      expect(record.repo).toBe("acme/shop");
    }
    const viaPatch = old.find((record) => record.sha === history.pickedWithoutNote);
    expect(viaPatch).toMatchObject({ backported: true, backport_via: "patch-id" });
    const first = old[0];
    expect(first).toMatchObject({ backport_via: "trailer", files_changed: ["src/core/fix-0.c"] });
    expect(first?.insertions).toBe(1);
    expect(first?.message).toContain("Fixes: #100");
    // Forked on day 1, fix 0 landed on day 2, picked on day 21 (3 + 16 days later, one a day).
    expect(first?.days_to_backport).toBe(19);
    const current = records.filter((record) => record.stable_branch === "release-1.1");
    expect(
      current
        .filter((record) => record.backported)
        .map((record) => record.sha)
        .sort(),
    ).toEqual([...history.alreadyPicked].sort());
  });

  it("dates a merged pull request's commit by the merge that landed it", async () => {
    const { records } = await exportCommits({
      args: {
        help: false,
        gitDir: history.repo.dir,
        dev: "main",
        stables: ["release-1.1"],
        outPath: join(outDir, "one.jsonl"),
      },
      onProgress: () => undefined,
    });
    const topic = records.find((record) => record.subject === "core: fix leak in topic handling");
    expect(topic).toBeDefined();
    // Written 10 days before the merge; it landed on main with the merge.
    expect(Date.parse(topic?.landed_date ?? "") - Date.parse(topic?.author_date ?? "")).toBe(
      10 * 86_400_000,
    );
    // Merged, then picked two days later.
    expect(topic?.days_to_backport).toBe(2);
  });

  it("runs as npm run backports:export and says what it wrote", () => {
    const outPath = join(outDir, "cli.jsonl.gz");
    const run = spawnSync(
      "node_modules/.bin/tsx",
      [
        "src/start/backports-export.ts",
        "--git-dir",
        history.repo.dir,
        "--dev",
        "main",
        "--stable",
        "release-1.1",
        "--out",
        outPath,
      ],
      { encoding: "utf8" },
    );
    expect(run.stderr).not.toMatch(/failed/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^wrote .*cli\.jsonl\.gz: 7 commits, 2 backported$/m);
  });
});
