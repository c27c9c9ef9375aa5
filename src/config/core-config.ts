import { z } from "zod";

const githubLoginPattern = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

const positiveInt = (variable: string, example: number) =>
  z.coerce
    .number({ error: `must be a whole number, e.g. ${variable}=${example}` })
    .int(`must be a whole number, e.g. ${variable}=${example}`)
    .positive(`must be greater than 0, e.g. ${variable}=${example}`);

/** Variables every process of the bot reads (server and workers). */
export const coreConfigSchema = z.object({
  BOT_HANDLE: z
    .string()
    .regex(
      githubLoginPattern,
      "must be the app's GitHub handle without @, e.g. BOT_HANDLE=tech-lead-bot",
    )
    .default("tech-lead-bot"),
  REDIS_URL: z
    .url({ error: "must be a redis:// URL, e.g. REDIS_URL=redis://127.0.0.1:6379" })
    .refine((value) => /^rediss?:\/\//.test(value), "must start with redis:// or rediss://")
    .default("redis://127.0.0.1:6379"),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9-]+$/, "must be lowercase letters, digits and hyphens, e.g. QUEUE_PREFIX=tlb")
    .default("tlb"),
  DEDUPE_TTL_SECONDS: positiveInt("DEDUPE_TTL_SECONDS", 259200).default(259200),
  COMMAND_CONCURRENCY: positiveInt("COMMAND_CONCURRENCY", 8).default(8),
  PERSONA_CONCURRENCY: positiveInt("PERSONA_CONCURRENCY", 4).default(4),
  // A run whose worker died (kill -9, out of memory) resumes once its lock expires and the next
  // stalled check finds it: between one and two of these. BullMQ's default for both is 30 s;
  // shorter means faster recovery but more Redis traffic and a false "stalled" on a long GC pause.
  PERSONA_LOCK_MS: positiveInt("PERSONA_LOCK_MS", 30000)
    .min(1000, "must be at least 1000, e.g. PERSONA_LOCK_MS=30000")
    .default(30000),
});

export type CoreConfig = z.infer<typeof coreConfigSchema>;
