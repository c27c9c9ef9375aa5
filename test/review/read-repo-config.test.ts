import { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { RepoConfigFileError, readRepoConfigFile } from "../../src/github/read-repo-config-file.js";
import { parseRepoReviewConfig } from "../../src/github/repo-config-schema.js";
import { type FakeGitHub, startFakeGitHub } from "../../support/fake-github.js";

const CONTENTS = "GET /repos/{owner}/{repo}/contents/{path}";
let github: FakeGitHub | undefined;
afterEach(async () => {
  expect(github?.violations).toEqual([]);
  await github?.close();
});

async function octokitFor(files: Record<string, string>) {
  github = await startFakeGitHub();
  github.on(CONTENTS, (request) => {
    const content = files[request.pathname];
    return content === undefined
      ? { status: 404, body: { message: "Not Found" } }
      : { headers: { "content-type": "application/vnd.github.raw; charset=utf-8" }, body: content };
  });
  return new ProbotOctokit({
    baseUrl: github.apiBaseUrl,
    retry: { enabled: false },
    throttle: { enabled: false },
  });
}

describe("readRepoConfigFile (Probot's config loader)", () => {
  it("reads the review section of .github/tech-lead-bot.yml", async () => {
    const octokit = await octokitFor({
      "/repos/o/r/contents/.github%2Ftech-lead-bot.yml":
        "review:\n  ignore:\n    - 'docs/**'\n  max_comments: 5\n",
    });
    const file = await readRepoConfigFile({ octokit, owner: "o", repo: "r" });
    expect(parseRepoReviewConfig(file)).toEqual({
      ignore: ["docs/**"],
      max_comments: 5,
      where: "balanced",
    });
  });

  it("uses the defaults when neither the repository nor the owner's .github has the file", async () => {
    const octokit = await octokitFor({});
    const file = await readRepoConfigFile({ octokit, owner: "o", repo: "r" });
    expect(parseRepoReviewConfig(file)).toEqual({ ignore: [], where: "balanced" });
    expect(github?.calls(CONTENTS).map((r) => r.pathname)).toEqual([
      "/repos/o/r/contents/.github%2Ftech-lead-bot.yml",
      "/repos/o/.github/contents/.github%2Ftech-lead-bot.yml",
    ]);
  });

  it("says the YAML is broken", async () => {
    const octokit = await octokitFor({
      "/repos/o/r/contents/.github%2Ftech-lead-bot.yml": "review: [unclosed\n",
    });
    await expect(readRepoConfigFile({ octokit, owner: "o", repo: "r" })).rejects.toThrow(
      RepoConfigFileError,
    );
  });
});
