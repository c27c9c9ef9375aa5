import { z } from "zod";

/** The scheduled triage's own variables (the persona worker runs it; see README "Backports"). */
export const backportsWorkerConfigSchema = z.object({
  BACKPORTS_DIR: z
    .string()
    .trim()
    .min(1)
    .default("backports-data")
    .describe(
      "Where the scheduled triage keeps repository mirrors, learned models, verdict caches and report files (a volume: reruns judge only new commits)",
    ),
  BACKPORTS_PYTHON: z
    .string()
    .trim()
    .min(1)
    .default("python3")
    .describe(
      "The Python with scikit-learn that fits the verdict model (python -m trainer backports)",
    ),
  BACKPORTS_LLM_MODEL: z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe(
      "The model (on LLM_BASE_URL) that writes the scheduled triage's reasons; unset: no LLM, reasons from the verdict model",
    ),
});
export type BackportsWorkerConfig = z.infer<typeof backportsWorkerConfigSchema>;
