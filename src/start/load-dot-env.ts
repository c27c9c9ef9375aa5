import { existsSync } from "node:fs";

/**
 * Loads `.env` from the working directory, as Probot's own `run` does, without overriding
 * variables already set in the environment. Probot's registration flow writes APP_ID,
 * PRIVATE_KEY and WEBHOOK_SECRET there.
 */
export function loadDotEnv(path = ".env"): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
