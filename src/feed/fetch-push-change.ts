import { z } from "zod";
import { type GitHubClient, statusOf } from "../github/github-client.js";

const NO_COMMIT = /^0{40}$/;

const changedFileSchema = z.object({
  filename: z.string(),
  previous_filename: z.string().optional(),
  status: z.string(),
  patch: z.string().optional(),
});

const compareSchema = z.object({
  html_url: z.url(),
  total_commits: z.number().int().nonnegative(),
  commits: z.array(z.object({ sha: z.string(), html_url: z.url() })),
  files: z.array(changedFileSchema).default([]),
});

const commitSchema = z.object({
  sha: z.string(),
  html_url: z.url(),
  files: z.array(changedFileSchema).default([]),
});

export type ChangedFile = z.infer<typeof changedFileSchema>;

/** What a push changed, as GitHub's compare view (or the single head commit) shows it. */
export interface PushChange {
  compareUrl: string;
  commits: { sha: string; url: string }[];
  commitCount: number;
  /** GitHub lists at most 300 files; patches are missing for binary and very large files. */
  files: ChangedFile[];
}

/**
 * Reads a push's commits and files: `compare/{before}...{after}`. A push that created the branch
 * has no `before`, and after a force-push `before` may be gone; both fall back to the head commit.
 */
export async function fetchPushChange(params: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  before: string;
  after: string;
}): Promise<PushChange> {
  const { octokit, owner, repo, before, after } = params;
  if (!NO_COMMIT.test(before)) {
    try {
      const response = await octokit.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
        owner,
        repo,
        basehead: `${before}...${after}`,
      });
      const compare = compareSchema.parse(response.data);
      return {
        compareUrl: compare.html_url,
        commits: compare.commits.map((commit) => ({ sha: commit.sha, url: commit.html_url })),
        commitCount: compare.total_commits,
        files: compare.files,
      };
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }
  const response = await octokit.request("GET /repos/{owner}/{repo}/commits/{ref}", {
    owner,
    repo,
    ref: after,
  });
  const commit = commitSchema.parse(response.data);
  return {
    compareUrl: commit.html_url,
    commits: [{ sha: commit.sha, url: commit.html_url }],
    commitCount: 1,
    files: commit.files,
  };
}
