/**
 * Prints the embedded CPU stack's settings as shell assignments for scripts/*.sh, so the shell
 * scripts and the bot share one rule (src/config/embedded-llm.ts) for paths and address.
 */
import { embeddedLlmSettings } from "../src/config/embedded-llm.js";

const settings = embeddedLlmSettings();
// A variable set explicitly wins, as for the bot's processes (withEmbeddedLlmDefaults): the
// training worker this prints for must publish where the caller said (e.g. ADAPTERS_DIR).
const explicitOrDefault = Object.fromEntries(
  Object.entries(settings.env).map(([name, value]) => [name, process.env[name] || value]),
);
const lines = {
  EMBEDDED_CACHE_DIR: settings.cacheDir,
  EMBEDDED_VENV_DIR: settings.venvDir,
  EMBEDDED_LLM_PORT: settings.port,
  ...explicitOrDefault,
};
for (const [name, value] of Object.entries(lines)) {
  process.stdout.write(`${name}='${value.replaceAll("'", "'\\''")}'\n`);
}
