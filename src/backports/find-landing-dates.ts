import { type GitRange, revisionRange, runGit } from "./run-git.js";

/** One commit of the graph: its parents and committer date. */
export interface GraphCommit {
  sha: string;
  parents: string[];
  commitDate: string;
}

/**
 * When each commit of a range reached the branch: the committer date of the first-parent commit
 * that brought it in (itself for a commit made on the branch, the merge for a pull request's
 * commits, whose own dates tell when they were written, not merged). `graph` lists the range's
 * commits, `tipSha` is the branch's tip. The earliest merge wins for a commit merged twice.
 */
export function findLandingDates(graph: GraphCommit[], tipSha: string): Map<string, string> {
  const bySha = new Map(graph.map((commit) => [commit.sha, commit]));
  const chain: GraphCommit[] = [];
  for (let current = bySha.get(tipSha); current; current = bySha.get(current.parents[0] ?? "")) {
    chain.push(current);
  }
  const landed = new Map<string, string>();
  for (const mainline of chain.reverse()) {
    landed.set(mainline.sha, mainline.commitDate);
    const stack = mainline.parents.slice(1);
    while (stack.length > 0) {
      const sha = stack.pop() as string;
      const commit = bySha.get(sha);
      if (!commit || landed.has(sha)) continue;
      landed.set(sha, mainline.commitDate);
      stack.push(...commit.parents);
    }
  }
  return landed;
}

/** Reads the commit graph of `fromSha..toSha` and returns each commit's landing date on `toSha`'s branch. */
export async function readLandingDates(params: GitRange): Promise<Map<string, string>> {
  const { stdout } = await runGit({
    repoDir: params.repoDir,
    args: ["log", "--format=%H %cI %P", revisionRange(params), "--"],
  });
  const graph: GraphCommit[] = [];
  for (const line of stdout.split("\n")) {
    const [sha, commitDate, ...parents] = line.trim().split(" ");
    if (sha && commitDate) graph.push({ sha, commitDate, parents });
  }
  return findLandingDates(graph, params.toSha);
}
