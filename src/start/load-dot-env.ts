import { existsSync } from "node:fs";

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
 */
export function loadDotEnv(path = dotEnvPath()): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
