import type { GitHubClient } from "../github/github-client.js";
import { statusOf } from "../github/github-client.js";

const ALLOWED_ROLES = new Set(["admin", "maintain", "write"]);

/**
 * Whether `login` may start a persona run in the repository: write, maintain or admin
 * permission, because a run spends GPU time and reads the repository's review history.
 */
export async function canStartRun(params: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  login: string;
}): Promise<boolean> {
  try {
    const { data } = await params.octokit.request(
      "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
      {
        owner: params.owner,
        repo: params.repo,
        username: params.login,
      },
    );
    return (
      ALLOWED_ROLES.has(data.role_name) ||
      data.permission === "admin" ||
      data.permission === "write"
    );
  } catch (error) {
    // GitHub answers 404 for users who are not collaborators at all.
    if (statusOf(error) === 404) return false;
    throw error;
  }
}

/** Whether `login` administers the repository (GitHub's `admin` permission). */
export async function isRepoAdmin(params: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  login: string;
}): Promise<boolean> {
  try {
    const { data } = await params.octokit.request(
      "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
      { owner: params.owner, repo: params.repo, username: params.login },
    );
    return data.permission === "admin";
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw error;
  }
}
