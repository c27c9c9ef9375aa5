/** Where GitHub lives: github.com, or the GitHub Enterprise host named by GHE_HOST/GHE_PROTOCOL. */
export interface GitHubUrls {
  /** REST base, e.g. https://api.github.com or https://ghe.example.com/api/v3 */
  apiBaseUrl: string;
  /** Web origin for OAuth pages and links, e.g. https://github.com */
  webOrigin: string;
}

/** Derives every GitHub URL from GHE_HOST/GHE_PROTOCOL, exactly as Probot does for its client. */
export function githubUrls(env: NodeJS.ProcessEnv = process.env): GitHubUrls {
  if (!env.GHE_HOST)
    return { apiBaseUrl: "https://api.github.com", webOrigin: "https://github.com" };
  const origin = `${env.GHE_PROTOCOL || "https"}://${env.GHE_HOST}`;
  return { apiBaseUrl: `${origin}/api/v3`, webOrigin: origin };
}
