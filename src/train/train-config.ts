import { isAbsolute } from "node:path";
import { z } from "zod";

const booleanText = (variable: string) =>
  z
    .enum(["true", "false", "1", "0"], {
      error: `${variable} must be true or false, e.g. ${variable}=true`,
    })
    .transform((value) => value === "true" || value === "1");

const absolutePath = (variable: string, example: string) =>
  z
    .string()
    .refine(isAbsolute, `${variable} must be an absolute path, e.g. ${variable}=${example}`);

/**
 * Environment of the train stage, on both sides: the persona worker (decides whether to queue
 * training, how long to wait for a GPU host) and the training worker on the GPU host (runs the
 * trainer, publishes into ADAPTERS_DIR). Variables only the GPU host needs are optional here;
 * {@link requireTrainerHostConfig} checks them when `npm run worker:train` starts.
 */
export const trainConfigSchema = z.object({
  TRAINING_ENABLED: booleanText("TRAINING_ENABLED")
    .default(false)
    .describe(
      "Queue LoRA training jobs for reviewers with enough history. Off by default: it needs a GPU host running `npm run worker:train`; without one every review is few-shot.",
    ),
  TRAINING_PICKUP_TIMEOUT_SECONDS: z.coerce
    .number({
      error: "TRAINING_PICKUP_TIMEOUT_SECONDS must be a whole number of seconds, e.g. 900",
    })
    .int("TRAINING_PICKUP_TIMEOUT_SECONDS must be a whole number of seconds, e.g. 900")
    .min(1, "TRAINING_PICKUP_TIMEOUT_SECONDS must be at least 1")
    .default(900)
    .describe(
      "How long a run waits for a GPU host to start its training job before it reviews few-shot instead (the job stays queued for next time).",
    ),
  REVIEW_WHILE_TRAINING: booleanText("REVIEW_WHILE_TRAINING")
    .default(false)
    .describe(
      "When a mention queues or joins training: review few-shot at once and post a second review from the adapter on the same PR when training ends, instead of waiting for it. Off by default (a GPU trains in minutes); on for the embedded CPU stack, whose training takes about 20 minutes.",
    ),
  TRAINING_ATTEMPTS: z.coerce
    .number({ error: "TRAINING_ATTEMPTS must be a whole number, e.g. 3" })
    .int("TRAINING_ATTEMPTS must be a whole number, e.g. 3")
    .min(1, "TRAINING_ATTEMPTS must be at least 1")
    .max(10, "TRAINING_ATTEMPTS above 10 keeps a broken GPU host busy; use 10 or less")
    .default(3)
    .describe("Attempts per training job; bad input and out-of-memory are never retried."),
  BASE_MODEL_NAME: z
    .string()
    .min(1, "BASE_MODEL_NAME must name the model vLLM serves (its --model value)")
    .default("meta-llama/Meta-Llama-3-8B-Instruct")
    .describe(
      "What vLLM serves as --model; written into every adapter's adapter_config.json, which vLLM checks.",
    ),
  ADAPTERS_DIR: absolutePath("ADAPTERS_DIR", "/srv/adapters")
    .optional()
    .describe(
      "GPU host: where finished adapters are published, one folder per name; vLLM's VLLM_LORA_RESOLVER_CACHE_DIR must be the same folder.",
    ),
  BASE_MODEL_DIR: absolutePath("BASE_MODEL_DIR", "/models/Meta-Llama-3-8B-Instruct")
    .optional()
    .describe("GPU host: the downloaded Hugging Face checkpoint the trainer fine-tunes."),
  TRAINING_PROFILE: z
    .enum(["auto", "llama3-8b", "smollm2-135m"], {
      error:
        "TRAINING_PROFILE must be auto, llama3-8b or smollm2-135m (trainer/README.md, Model profiles)",
    })
    .default("auto")
    .describe(
      "Training host: the model profile (`--profile` of the trainer). auto trains Llama 3 8B where a CUDA GPU is present and SmolLM2-135M on CPU; llama3-8b on a machine without a GPU is refused. BASE_MODEL_DIR must hold the profile's checkpoint.",
    ),
  TRAINER_COMMAND: z
    .string()
    .trim()
    .min(1, "TRAINER_COMMAND must be a command line, e.g. TRAINER_COMMAND=python3 -m trainer train")
    .default("python3 -m trainer train")
    .describe(
      "GPU host: the trainer command line (split on spaces, no shell); the worker appends --dataset, --base-model-dir, --base-model-name and --output-dir.",
    ),
  TRAINER_EXTRA_ARGS: z
    .string()
    .default("")
    .describe(
      "GPU host: more trainer arguments, space-separated, e.g. `--batch-size 4 --set gradient_accumulation_steps=4`.",
    ),
  TRAINER_WORKDIR: absolutePath("TRAINER_WORKDIR", "/opt/tech-lead-bot")
    .optional()
    .describe(
      "GPU host: working directory of the trainer process (the checkout holding trainer/); defaults to the worker's own.",
    ),
});

export type TrainConfig = z.infer<typeof trainConfigSchema>;

/** What the training worker needs beyond the shared train config. */
export type TrainerHostConfig = TrainConfig & { ADAPTERS_DIR: string; BASE_MODEL_DIR: string };

/**
 * Checks the GPU host's variables, which the persona side does not need.
 * @throws Error naming each missing variable and what to set it to.
 */
export function requireTrainerHostConfig(config: TrainConfig): TrainerHostConfig {
  const missing: string[] = [];
  if (!config.ADAPTERS_DIR)
    missing.push(
      "ADAPTERS_DIR: the folder vLLM reads adapters from (VLLM_LORA_RESOLVER_CACHE_DIR), e.g. /srv/adapters",
    );
  if (!config.BASE_MODEL_DIR)
    missing.push(
      "BASE_MODEL_DIR: the downloaded base checkpoint, e.g. /models/Meta-Llama-3-8B-Instruct (see trainer/README.md)",
    );
  if (missing.length > 0) {
    throw new Error(
      `The training worker needs these variables:\n${missing.map((line) => `  - ${line}`).join("\n")}`,
    );
  }
  return config as TrainerHostConfig;
}

/** Splits a command line on whitespace; no shell, so no quoting either. */
export function splitCommandLine(commandLine: string): string[] {
  return commandLine.split(/\s+/).filter((part) => part !== "");
}
