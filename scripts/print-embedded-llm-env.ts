/**
 * Prints the embedded CPU stack's settings as shell assignments for scripts/*.sh, so the shell
 * scripts and the bot share one rule (src/config/embedded-llm.ts) for paths and address.
 */
import { embeddedLlmEnv, embeddedLlmSettings } from "../src/config/embedded-llm.js";

const settings = embeddedLlmSettings(process.env);
const lines = {
  EMBEDDED_CACHE_DIR: settings.cacheDir,
  EMBEDDED_VENV_DIR: settings.venvDir,
  EMBEDDED_LLM_PORT: settings.port,
  // Explicit variables win, as for the bot's processes (e.g. the caller's ADAPTERS_DIR).
  ...embeddedLlmEnv(process.env),
};
for (const [name, value] of Object.entries(lines)) {
  process.stdout.write(`${name}='${value.replaceAll("'", "'\\''")}'\n`);
}
