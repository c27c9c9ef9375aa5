import { z } from "zod";
import { type GitHubRestClient, statusOf } from "../github/github-client.js";

/** GitHub's files list holds at most 3,000 files, 100 per page. */
const MAX_FILE_PAGES = 30;

const pullFileSchema = z.object({
  filename: z.string(),
  previous_filename: z.string().optional(),
  status: z.string(),
  patch: z.string().optional(),
});

/** The PR's diff as unified-diff text, and the files GitHub sent no patch for. */
export interface PullDiff {
  diffText: string;
  /** `diff` when GitHub sent the whole diff, `files` when it was rebuilt from the files list. */
  source: "diff" | "files";
  /** Files without a patch in the files list (binary, or too large for GitHub to show). */
  filesWithoutPatch: string[];
}

/**
 * Fetches a PR's unified diff. GitHub refuses the diff media type for very large PRs (406 above
 * 300 files / 20,000 lines); then the diff is rebuilt from `GET /pulls/{n}/files`, adding the
 * `diff --git` / `---` / `+++` headers its patches lack.
 */
export async function fetchPullDiff(params: {
  octokit: GitHubRestClient;
  owner: string;
  repo: string;
  pullNumber: number;
}): Promise<PullDiff> {
  const { octokit, owner, repo, pullNumber } = params;
  try {
    const response = await octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      owner,
      repo,
      pull_number: pullNumber,
      mediaType: { format: "diff" },
    });
    if (typeof response.data !== "string") {
      throw new Error("GitHub answered the diff request with JSON instead of diff text");
    }
    return { diffText: response.data, source: "diff", filesWithoutPatch: [] };
  } catch (error) {
    const status = statusOf(error);
    if (status !== 406 && status !== 422) {
      throw new Error(
        `Could not fetch the diff of ${owner}/${repo}#${pullNumber}: ${(error as Error).message}. Check that the app can read pull requests in this repository.`,
        { cause: error },
      );
    }
  }
  return fetchDiffFromFilesList(params);
}

async function fetchDiffFromFilesList(params: {
  octokit: GitHubRestClient;
  owner: string;
  repo: string;
  pullNumber: number;
}): Promise<PullDiff> {
  const sections: string[] = [];
  const filesWithoutPatch: string[] = [];
  for (let page = 1; page <= MAX_FILE_PAGES; page++) {
    const response = await params.octokit.request(
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
      {
        owner: params.owner,
        repo: params.repo,
        pull_number: params.pullNumber,
        per_page: 100,
        page,
      },
    );
    const files = z.array(pullFileSchema).parse(response.data);
    for (const file of files) {
      if (file.patch === undefined) {
        filesWithoutPatch.push(file.filename);
        continue;
      }
      sections.push(rebuildFileDiff({ ...file, patch: file.patch }));
    }
    if (files.length < 100) break;
  }
  return { diffText: sections.join(""), source: "files", filesWithoutPatch };
}

/** A files-list entry as a `git diff` file section, so the same parser reads both sources. */
export function rebuildFileDiff(file: {
  filename: string;
  previous_filename?: string | undefined;
  status: string;
  patch: string;
}): string {
  const oldName = file.previous_filename ?? file.filename;
  const header = [`diff --git a/${oldName} b/${file.filename}`];
  if (file.status === "added") header.push("new file mode 100644");
  if (file.status === "removed") header.push("deleted file mode 100644");
  header.push(file.status === "added" ? "--- /dev/null" : `--- a/${oldName}`);
  header.push(file.status === "removed" ? "+++ /dev/null" : `+++ b/${file.filename}`);
  const patch = file.patch.endsWith("\n") ? file.patch : `${file.patch}\n`;
  return `${header.join("\n")}\n${patch}`;
}
