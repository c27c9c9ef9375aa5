import { readFile } from "node:fs/promises";
import { z } from "zod";
import { verdictSchema } from "./ask-llm-for-verdict.js";
import { writeFileAtomically } from "./write-file-atomically.js";

const cacheSchema = z.object({
  format: z.literal("backports-verdict-cache/1"),
  entries: z.record(z.string(), z.object({ verdict: verdictSchema, reason: z.string() })),
});

/** Verdicts already decided, keyed by commit and by what decided them (see cacheKey). */
export interface VerdictCache {
  get(key: string): { verdict: z.infer<typeof verdictSchema>; reason: string } | undefined;
  set(key: string, value: { verdict: z.infer<typeof verdictSchema>; reason: string }): void;
  /** Writes the cache if it changed since the last flush (temporary file + rename). */
  flush(): Promise<void>;
  size(): number;
}

/**
 * The key of one cached verdict: the commit, the verdict model's version and the prompts' and
 * LLM's; a new model, prompt or LLM decides every commit again, the same ones reuse the answer.
 */
export function cacheKey(params: {
  sha: string;
  modelVersion: string;
  promptVersion: string;
  llmModel: string;
}): string {
  return [params.sha, params.modelVersion, params.promptVersion, params.llmModel].join("|");
}

/**
 * Opens the cache file (a missing file is an empty cache).
 *
 * @throws Error naming the file when it is not a verdict cache (delete it to start over).
 */
export async function openVerdictCache(path: string): Promise<VerdictCache> {
  let entries: Record<string, { verdict: z.infer<typeof verdictSchema>; reason: string }> = {};
  let text: string | undefined;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (text !== undefined) {
    let parsed: z.infer<typeof cacheSchema>;
    try {
      parsed = cacheSchema.parse(JSON.parse(text));
    } catch (error) {
      throw new Error(
        `${path} is not a backport verdict cache: delete it to decide every commit again`,
        {
          cause: error,
        },
      );
    }
    entries = parsed.entries;
  }
  let dirty = false;
  return {
    get: (key) => entries[key],
    set: (key, value) => {
      entries[key] = value;
      dirty = true;
    },
    flush: async () => {
      if (!dirty) return;
      dirty = false;
      await writeFileAtomically(
        path,
        JSON.stringify({ format: "backports-verdict-cache/1", entries }),
      );
    },
    size: () => Object.keys(entries).length,
  };
}
