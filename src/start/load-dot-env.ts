import { existsSync, statSync } from "node:fs";

/**
 * The env file this process reads: DOTENV_CONFIG_PATH (dotenv's own variable) when set, else
 * `.env` in the working directory. Tests set DOTENV_CONFIG_PATH=/dev/null so that a developer's
 * `.env` never changes what they see.
 */
export function dotEnvPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOTENV_CONFIG_PATH || ".env";
}

/**
 * Loads the env file, as Probot's own `run` does, without overriding variables already set in
 * the environment. Probot's registration flow writes APP_ID, PRIVATE_KEY and WEBHOOK_SECRET there.
 * The file holds the app's secrets, so one that other users may read or write (an older
 * quickstart created it 0644) gets a warning at every start, before the logger exists.
 */
export function loadDotEnv(path = dotEnvPath()): void {
  if (!existsSync(path)) return;
  process.loadEnvFile(path);
  const stat = statSync(path);
  if (stat.isFile() && (stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(4, "0");
    process.emitWarning(
      `${path} (mode ${mode}) can be read by other users of this machine and holds the app's secrets: run chmod 600 ${path}`,
      { code: "TLB_ENV_FILE_MODE" },
    );
  }
}
