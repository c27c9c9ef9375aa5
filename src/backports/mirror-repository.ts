import { mkdir, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { runGit } from "./run-git.js";

/**
 * Git's own configuration, through the environment (git ≥ 2.31), that sends the installation
 * token as an HTTP header: it never appears in a command line, a URL or git's error messages.
 */
export function tokenHeaderEnv(token: string): Record<string, string> {
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  return {
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: "http.extraHeader",
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
  };
}

/**
 * Brings a bare mirror of the repository at `mirrorDir` up to date: made on the first call, then
 * every branch and tag fetched (branches deleted upstream are pruned). The full history is
 * kept, as patch ids need it.
 *
 * @throws GitCommandError when the fetch fails (git's message, without the token).
 */
export async function mirrorRepository(params: {
  mirrorDir: string;
  cloneUrl: string;
  token: string;
}): Promise<void> {
  const exists = await stat(params.mirrorDir).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await mkdir(dirname(params.mirrorDir), { recursive: true });
    await runGit({
      repoDir: dirname(params.mirrorDir),
      args: ["init", "-q", "--bare", params.mirrorDir],
    });
  }
  await runGit({
    repoDir: params.mirrorDir,
    args: [
      "fetch",
      "--quiet",
      "--prune",
      "--force",
      params.cloneUrl,
      "+refs/heads/*:refs/heads/*",
      "+refs/tags/*:refs/tags/*",
    ],
    env: tokenHeaderEnv(params.token),
  });
}
