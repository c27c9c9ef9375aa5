import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";

const adapterConfigSchema = z.object({
  peft_type: z.literal("LORA"),
  r: z.number().int().positive(),
  base_model_name_or_path: z.string(),
});

/**
 * Whether `adapterDir` holds an adapter vLLM's filesystem resolver will load for
 * `baseModelName`: `adapter_config.json` (LoRA, same base model) and `adapter_model.safetensors`.
 * @throws Error saying what is wrong with the directory.
 */
export async function checkPublishedAdapter(params: {
  adapterDir: string;
  baseModelName: string;
}): Promise<void> {
  const configPath = join(params.adapterDir, "adapter_config.json");
  let config: z.infer<typeof adapterConfigSchema>;
  try {
    config = adapterConfigSchema.parse(JSON.parse(await readFile(configPath, "utf8")));
  } catch (error) {
    throw new Error(`${configPath} is missing or not a PEFT LoRA config`, { cause: error });
  }
  if (config.base_model_name_or_path !== params.baseModelName) {
    throw new Error(
      `${configPath} names base model "${config.base_model_name_or_path}" but BASE_MODEL_NAME is "${params.baseModelName}": vLLM would refuse it; use the same value as vLLM's --model`,
    );
  }
  const weights = join(params.adapterDir, "adapter_model.safetensors");
  const size = await stat(weights).then(
    (info) => info.size,
    () => 0,
  );
  if (size === 0) throw new Error(`${weights} is missing or empty`);
}

/** Whether a directory already holds a published adapter (from an earlier attempt). */
export async function hasPublishedAdapter(adapterDir: string): Promise<boolean> {
  return stat(join(adapterDir, "adapter_config.json")).then(
    () => true,
    () => false,
  );
}

/** The file the trainer writes into a published adapter: which job asked for it (`--provenance`). */
export const PROVENANCE_FILE = "tech-lead-bot-provenance.txt";

/**
 * Who published the adapter in `adapterDir`: "none" (no adapter there), "this job" (an earlier
 * attempt of the same job: adopt it), or "another" — a folder of the same name from an earlier
 * deployment (its Redis registry was lost, so versions restarted) or a trainer that wrote no
 * provenance. Its weights are not this job's, and vLLM may still hold them under that name.
 */
export async function whoPublished(
  adapterDir: string,
  provenance: string,
): Promise<"none" | "this job" | "another"> {
  if (!(await hasPublishedAdapter(adapterDir))) return "none";
  const stamp = await readFile(join(adapterDir, PROVENANCE_FILE), "utf8").catch(() => undefined);
  return stamp?.trim() === provenance ? "this job" : "another";
}
