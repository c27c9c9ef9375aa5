import { z } from "zod";

/**
 * How much of the system turn a model reads: all of it, or only its first paragraph (the persona
 * sentence) — the trainer's `tokenizer.system_turn` (trainer/chatml_tokenizer.py), which the small
 * CPU profile sets to `first_paragraph` so that 800 examples do not each repeat the format rules.
 */
export const systemTurnSchema = z.enum(["full", "first_paragraph"]);

export type SystemTurn = z.infer<typeof systemTurnSchema>;

/**
 * The system turn as an adapter was trained on it. Same rule as `ChatMLTokenizer.system_text`:
 * strip, then keep what comes before the first blank line.
 */
export function keepSystemTurn(system: string, systemTurn: SystemTurn): string {
  if (systemTurn === "full") return system;
  return system.trim().split("\n\n", 1)[0] ?? "";
}
