import { type GitRange, pipeGit, revisionRange } from "./run-git.js";

/**
 * `git patch-id --stable` of every non-merge commit in `fromSha..toSha`: commit id → patch id.
 * Two commits with the same patch id make the same change (whitespace and line numbers aside),
 * which finds cherry-picks made without `-x`. Commits with an empty diff have none.
 */
export async function computePatchIds(params: GitRange): Promise<Map<string, string>> {
  const output = await pipeGit({
    repoDir: params.repoDir,
    producerArgs: [
      "log",
      "-p",
      "--no-merges",
      "--no-renames",
      "--no-ext-diff",
      "--format=commit %H",
      revisionRange(params),
      "--",
    ],
    consumerArgs: ["patch-id", "--stable"],
  });
  const patchIds = new Map<string, string>();
  for (const line of output.split("\n")) {
    const [patchId, sha] = line.trim().split(/\s+/);
    if (patchId && sha) patchIds.set(sha, patchId);
  }
  return patchIds;
}
