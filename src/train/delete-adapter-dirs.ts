import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { adapterNameSchema } from "../../jobs/train-job.js";

/**
 * Deletes published adapters (the `forget` command), and any staging folder the trainer left
 * beside them (`.<name>.partial-*`). Names are checked against the adapter-name pattern first,
 * so no name can reach outside ADAPTERS_DIR.
 * @returns the names whose directories existed and were deleted.
 */
export async function deleteAdapterDirs(params: {
  adaptersDir: string;
  adapterNames: string[];
  log: Logger;
}): Promise<string[]> {
  const names = params.adapterNames.map((name) => adapterNameSchema.parse(name));
  const entries = await readdir(params.adaptersDir).catch(() => [] as string[]);
  const deleted: string[] = [];
  for (const name of names) {
    const leftovers = entries.filter((entry) => entry.startsWith(`.${name}.partial-`));
    for (const entry of [name, ...leftovers]) {
      if (!entries.includes(entry)) continue;
      await rm(join(params.adaptersDir, entry), { recursive: true, force: true });
      if (entry === name) deleted.push(name);
    }
  }
  params.log.info({ deleted, asked: names.length }, "forgotten adapters deleted");
  return deleted;
}
