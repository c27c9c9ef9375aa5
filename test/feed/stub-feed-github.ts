import type { FakeGitHub } from "../../support/fake-github.js";

export const WEB = "https://github.com";

/** What the stand-in GitHub holds for the feed: the config file, and each push's diff. */
export interface FeedGitHubState {
  /** `.github/tech-lead-bot.yml` of Codertocat/Hello-World; undefined: none (404). */
  configYaml: string | undefined;
  /** Files of every compare / commit answer (patch text as GitHub's files list has it). */
  files: { filename: string; status: string; patch?: string }[];
  /** Commits of a compare answer, oldest first; defaults to just `after`. */
  commits?: string[];
}

/** A small real diff: a README line changed, as GitHub's compare view lists it. */
export const README_PATCH =
  "@@ -1,3 +1,3 @@\n # Hello-World\n-My first repository on GitHub!\n+My first repository on GitHub, now with a greeting.\n \n";

/**
 * Serves the calls the feed worker makes: Probot's config loader (raw file or 404), the compare
 * view and the single-commit view, shaped like GitHub's answers.
 */
export function stubFeedGitHub(github: FakeGitHub, state: FeedGitHubState): void {
  github.on("GET /repos/{owner}/{repo}/contents/{path}", (req) =>
    state.configYaml === undefined || !req.pathname.startsWith("/repos/Codertocat/Hello-World/")
      ? { status: 404, body: { message: "Not Found" } }
      : {
          headers: { "content-type": "application/vnd.github.raw; charset=utf-8" },
          body: state.configYaml,
        },
  );
  github.on("GET /repos/{owner}/{repo}/compare/{basehead}", (req) => {
    const basehead = decodeURIComponent(req.pathname.split("/").pop() ?? "");
    const [, after = ""] = basehead.split("...");
    const commits = state.commits ?? [after];
    return {
      body: {
        html_url: `${WEB}/Codertocat/Hello-World/compare/${basehead}`,
        total_commits: commits.length,
        commits: commits.map((sha) => ({
          sha,
          html_url: `${WEB}/Codertocat/Hello-World/commit/${sha}`,
        })),
        files: state.files,
      },
    };
  });
  github.on("GET /repos/{owner}/{repo}/commits/{ref}", (req) => {
    const sha = req.pathname.split("/").pop() ?? "";
    return {
      body: { sha, html_url: `${WEB}/Codertocat/Hello-World/commit/${sha}`, files: state.files },
    };
  });
}
