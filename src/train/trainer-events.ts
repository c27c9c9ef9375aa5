import { z } from "zod";
import { systemTurnSchema } from "../prompts/keep-system-turn.js";

/**
 * The trainer's stdout protocol (trainer/events.py): one JSON object per line. Extra fields are
 * allowed, so the trainer can add some without breaking the worker.
 */
export const trainerEventSchema = z.discriminatedUnion("event", [
  z.object({
    event: z.literal("progress"),
    step: z.number().int().nonnegative(),
    total_steps: z.number().int().positive(),
    loss: z.number().nullable().optional(),
    tokens_per_second: z.number().nullable().optional(),
    eta_seconds: z.number().nullable().optional(),
    /** Passes over the dataset so far (0.5: half the examples seen once) and in the whole run. */
    epochs: z.number().nonnegative().optional(),
    planned_epochs: z.number().nonnegative().optional(),
    // Profiles with a CPU budget (trainer/cpu_budget.py) state it on every line.
    budget_tokens: z.number().int().positive().optional(),
    budget_minutes: z.number().nonnegative().optional(),
  }),
  z.object({
    event: z.literal("done"),
    adapter_dir: z.string().min(1),
    steps: z.number().int().nonnegative().optional(),
    examples: z.number().int().nonnegative().optional(),
    /** Passes over the dataset the run made (1.3: every example once, a third of them twice). */
    epochs: z.number().nonnegative().optional(),
    /** Tokens of one epoch (every example as the tokenizer cuts it), from a CPU budget's count. */
    dataset_tokens: z.number().int().nonnegative().optional(),
    train_seconds: z.number().nonnegative().optional(),
    /** The profile's tokenizer.system_turn; trainers before it was reported send none (full). */
    system_turn: systemTurnSchema.optional(),
    /** The trainer process's peak resident memory, MB. */
    peak_rss_mb: z.number().nonnegative().optional(),
  }),
  z.object({ event: z.literal("error"), message: z.string() }),
]);

export type TrainerEvent = z.infer<typeof trainerEventSchema>;

/** One stdout line as an event, or `undefined` for anything else (logged and ignored). */
export function parseTrainerLine(line: string): TrainerEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const result = trainerEventSchema.safeParse(value);
  return result.success ? result.data : undefined;
}
