import { basename, dirname, resolve } from "node:path";
import { collectBranchSeries } from "./collect-branch-series.js";
import type { CommitRecord } from "./commit-record.js";
import { writeCommitsFile } from "./commits-file.js";
import type { ExportArgs } from "./parse-export-args.js";
import { checkRepository } from "./resolve-commit-range.js";

/** A repository's name from its folder: `…/shop/.git` and `…/shop` both give `shop`. */
export function repoNameFromDir(gitDir: string): string {
  const full = resolve(gitDir);
  const name = basename(full);
  return name === ".git" || name === "repo" ? basename(dirname(full)) : name;
}

/** Exports the dev commits judged against each stable branch (see collectBranchSeries). */
export async function exportCommits(params: {
  args: ExportArgs;
  onProgress: (message: string) => void;
}): Promise<{ records: CommitRecord[]; path: string }> {
  const { args } = params;
  await checkRepository(args.gitDir);
  const records = await collectBranchSeries({
    repoDir: args.gitDir,
    repoName: args.repoName ?? repoNameFromDir(args.gitDir),
    dev: args.dev,
    stables: args.stables,
    since: args.since,
    until: args.until,
    onProgress: params.onProgress,
  });
  await writeCommitsFile(args.outPath, records);
  return { records, path: args.outPath };
}
