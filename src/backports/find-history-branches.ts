import { runGit } from "./run-git.js";

/**
 * The pattern of a stable branch's siblings: its name with every run of digits free
 * ("release/1.7" → release/<n>.<n>, "Integration_4.0.9" → Integration_<n>.<n>.<n>).
 */
export function siblingPattern(stable: string): RegExp {
  const escaped = stable
    .split(/\d+/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("\\d+");
  return new RegExp(`^${escaped}$`);
}

/** Branch names (local, and remote-tracking without their remote) that look like `stable`. */
export function pickSiblingBranches(params: {
  refs: string[];
  stable: string;
  dev: string;
}): string[] {
  const pattern = siblingPattern(params.stable);
  const names = new Set<string>();
  for (const ref of params.refs) {
    const name = ref.replace(/^refs\/heads\//, "").replace(/^refs\/remotes\/[^/]+\//, "");
    if (name !== params.stable && name !== params.dev && pattern.test(name)) names.add(name);
  }
  return [...names];
}

/**
 * The repository's earlier stable branches, whose backports teach the verdict model: branches
 * named like `stable` whose merge base with dev is older than `stable`'s, the newest `limit`
 * of them, oldest first.
 */
export async function findHistoryBranches(params: {
  repoDir: string;
  dev: string;
  stable: string;
  stableForkedAt: string;
  limit: number;
}): Promise<string[]> {
  const { stdout } = await runGit({
    repoDir: params.repoDir,
    args: ["for-each-ref", "--format=%(refname)", "refs/heads", "refs/remotes"],
  });
  const siblings = pickSiblingBranches({
    refs: stdout.split("\n").filter((line) => line.trim() !== ""),
    stable: params.stable,
    dev: params.dev,
  });
  const forked: { name: string; at: number }[] = [];
  for (const name of siblings) {
    const base = await runGit({
      repoDir: params.repoDir,
      args: ["merge-base", params.dev, name],
      okExitCodes: [1],
    }).catch(() => undefined);
    if (base?.exitCode !== 0) continue;
    const date = await runGit({
      repoDir: params.repoDir,
      args: ["show", "-s", "--format=%cI", base.stdout.trim()],
    });
    const at = Date.parse(date.stdout.trim());
    if (at < Date.parse(params.stableForkedAt)) forked.push({ name, at });
  }
  forked.sort((a, b) => a.at - b.at);
  return forked.slice(-params.limit).map((entry) => entry.name);
}
