import { z } from "zod";

/** Probot's GitHub Enterprise variables, which the bot's own URLs follow too. */
export const githubUrlsConfigSchema = z.object({
  GHE_HOST: z.string().optional().describe("GitHub Enterprise Server host; unset: github.com"),
  GHE_PROTOCOL: z.string().optional().describe("http or https for GHE_HOST; unset: https"),
});

export interface GitHubUrls {
  /** Where people sign in: https://github.com or `${GHE_PROTOCOL}://${GHE_HOST}`. */
  webUrl: string;
  /** REST API base: https://api.github.com or `${GHE_PROTOCOL}://${GHE_HOST}/api/v3`. */
  apiUrl: string;
}

/**
 * GitHub's web and API base URLs, following Probot's GHE_HOST / GHE_PROTOCOL so that GitHub
 * Enterprise Server (and a local stand-in in tests) gets *all* OAuth traffic too.
 */
export function resolveGitHubUrls({
  gheHost,
  gheProtocol = "https",
}: {
  gheHost?: string | undefined;
  gheProtocol?: string | undefined;
}): GitHubUrls {
  if (gheHost === undefined || gheHost === "") {
    return { webUrl: "https://github.com", apiUrl: "https://api.github.com" };
  }
  const webUrl = `${gheProtocol}://${gheHost}`;
  return { webUrl, apiUrl: `${webUrl}/api/v3` };
}
